using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The signed-in browser's credential: the access token (or OpenID Connect token) the user gave, encrypted and
/// authenticated with the host's data-protection keys, in an HttpOnly, SameSite=Strict cookie scoped to
/// <c>/dashboard</c> (Secure over https). Script on the page cannot read it, another site cannot make the browser send
/// it, and a copy of the cookie is useless against another server or after <see cref="DashboardOptions.SessionLifetime"/>.
/// The token itself is never rendered or logged.
/// </summary>
internal sealed class DashboardSession(IDataProtectionProvider protection, DashboardOptions options)
{
    public const string CookieName = "glidepath_session";

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Glidepath.Dashboard.Session.v1").ToTimeLimitedDataProtector();

    public void SignIn(HttpContext http, string credential) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(credential, options.SessionLifetime), Cookie(http));

    public void SignOut(HttpContext http) => http.Response.Cookies.Delete(CookieName, Cookie(http));

    /// <summary>The credential of the request's cookie, or null when there is none, it expired or it was not made here.</summary>
    public string? Credential(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        try
        {
            return _protector.Unprotect(value);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static CookieOptions Cookie(HttpContext http) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = DashboardEndpointRouteBuilderExtensions.Prefix,
        IsEssential = true,
    };
}
