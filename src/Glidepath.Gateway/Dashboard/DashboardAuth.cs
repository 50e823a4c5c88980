using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Who a dashboard request is: the session's credential is checked by the admin API's own
/// <see cref="AdminAuthenticator"/> as if it came in an <c>Authorization: Bearer</c> header — the same token check, the
/// same OpenID Connect validation, the same actor. Whatever Authorization header the request came with is not read:
/// only the cookie counts here.
/// </summary>
internal sealed class DashboardAuth(DashboardSession session, AdminAuthenticator authenticator)
{
    /// <summary>The request's session checked as the admin API checks a credential; a store error propagates.</summary>
    public async Task<AdminAuthentication> AuthenticateAsync(HttpContext http) =>
        await session.CredentialAsync(http).ConfigureAwait(false) is { } credential
            ? await AuthenticateAsync(http, credential).ConfigureAwait(false)
            : AdminAuthentication.Refused("not signed in");

    /// <summary>Checks <paramref name="credential"/> as the admin API would check it in an Authorization header; a store error propagates.</summary>
    public Task<AdminAuthentication> AuthenticateAsync(HttpContext http, string credential) =>
        authenticator.AuthenticateAsync(http, credential);

    /// <summary>The environments of the app the principal may read, in manifest order.</summary>
    public static IReadOnlyList<string> Readable(Principal principal, Manifests.Manifest manifest) =>
        [.. manifest.Environments.Select(e => e.Name).Where(e => principal.Allows(e, Role.Viewer))];
}
