using Glidepath.Errors;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Whether a gateway requires callers' keys: always when asked (<c>--require-keys</c>), by default whenever it binds an
/// address other machines can reach, and never with <c>--allow-anonymous</c> (every request served as before keys).
/// </summary>
public static class GatewayAuthentication
{
    /// <summary>The decision for <paramref name="urls"/>; a <see cref="BadInputException"/> when both flags are given.</summary>
    public static bool RequiresKeys(IEnumerable<string> urls, bool requireKeys, bool allowAnonymous)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (requireKeys && allowAnonymous)
        {
            throw new BadInputException("--require-keys and --allow-anonymous contradict each other; pass one of them");
        }

        return requireKeys || (!allowAnonymous && ListenExposure.NonLoopback(urls).Count > 0);
    }

    /// <summary>
    /// Refuses to start a gateway that requires keys while none works for its environment: nobody could call it. A
    /// refusal by policy (exit 4, as DESIGN.md's exit codes have it), not bad input: the command and its flags are right,
    /// the environment lacks what the policy asks for.
    /// </summary>
    public static void CheckKeysExist(bool requiresKeys, int workingKeys, string environment)
    {
        if (requiresKeys && workingKeys == 0)
        {
            throw new PolicyException(
                $"the gateway for '{environment}' requires callers' keys (it listens on an address other machines can reach, or --require-keys was given) but the environment has none that works; " +
                $"create one with 'glidepath keys create --env {environment} --name NAME', or pass --allow-anonymous to serve without keys");
        }
    }
}
