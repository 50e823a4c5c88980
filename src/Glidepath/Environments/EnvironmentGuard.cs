using Glidepath.Errors;

namespace Glidepath.Environments;

/// <summary>
/// Checks that refuse a change before any policy is evaluated: the kill switch and an active canary.
/// Shared by deploy, promote and <c>rollout start</c>.
/// </summary>
public static class EnvironmentGuard
{
    /// <summary>Throws (exit 4) when the environment is frozen; <paramref name="action"/> names what was refused, e.g. "promote".</summary>
    public static void EnsureNotFrozen(EnvironmentState state, string action)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Frozen)
        {
            var why = string.IsNullOrWhiteSpace(state.FrozenReason) ? "" : $" (\"{state.FrozenReason}\")";
            throw new PolicyException(
                $"environment '{state.Name}' is frozen{why}: {action} is refused while frozen (rollback stays allowed); " +
                $"when it is safe again, run: glidepath unfreeze --env {state.Name} --reason \"...\"");
        }
    }

    /// <summary>Throws (exit 4) when a canary is active: the stable pointer belongs to that rollout until it ends.</summary>
    public static void EnsureNoActiveCanary(EnvironmentState state, string action, Func<string, string> releaseName)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(releaseName);
        if (state.Canary is { } canary)
        {
            throw new PolicyException(
                $"environment '{state.Name}' has an active canary ({releaseName(canary.ReleaseId)} at {canary.Weight:0.##}%): {action} is refused until that rollout ends; " +
                $"to end it now and send all traffic to the stable release, run: glidepath rollback --env {state.Name}");
        }
    }
}
