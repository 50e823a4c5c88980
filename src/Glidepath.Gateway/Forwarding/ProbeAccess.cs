using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// Who may send <c>Glidepath-Probe: route</c>: a request carrying an access token with the admin role in this gateway's
/// environment (<see cref="TokenHeader"/>, beside the caller's key). A probe tells the caller its arm without a provider
/// call or a trace, which would let anyone find (and then pin) a sticky key on the canary. Being on the gateway's own
/// machine is not enough: behind a reverse proxy every caller looks local. The token is checked (and a refused one
/// logged) by <see cref="AdminAuthenticator"/>, as on the admin API; only an access token (gpt_…) is taken here. Without
/// the admin API (no token can be checked), or when the store cannot be read, every probe is refused.
/// </summary>
internal sealed class ProbeAccess(ServingOptions serving, IServiceProvider services)
{
    /// <summary>The header carrying the admin's token (Authorization carries the caller's key).</summary>
    public const string TokenHeader = "Glidepath-Admin-Token";

    public async Task<bool> AllowsAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var presented = http.Request.Headers[TokenHeader].ToString().Trim();
        if (!presented.StartsWith(AccessTokenSecret.Prefix, StringComparison.Ordinal) || services.GetService<AdminAuthenticator>() is not { } authenticator)
        {
            return false;
        }

        try
        {
            // The admin API's check, so an unknown, revoked or malformed token tried here is logged as a refused
            // credential like one tried on the admin API (it was not: a trial's revoked token left only a 403 trace).
            var result = await authenticator.AuthenticateAsync(http, presented).ConfigureAwait(false);
            return result.Principal is { } principal && principal.Allows(serving.Environment, Role.Admin);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return false;
        }
    }
}
