using System.Security.Cryptography;
using System.Text;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The signed-in browser's session: a random session id and the access token (or OpenID Connect token) the user gave,
/// encrypted and authenticated with the host's data-protection keys, in an HttpOnly, SameSite=Strict cookie scoped to
/// <c>/dashboard</c> (Secure over https). Script on the page cannot read it, another site cannot make the browser send
/// it, and a copy of the cookie is useless against another server, after <see cref="DashboardOptions.SessionLifetime"/>,
/// or after "Sign out": signing out records the session id in the store (<see cref="ISignOutStore"/>), which every
/// request's check reads, so a copy taken before is refused on every gateway of the store. The token itself is never
/// rendered or logged.
/// </summary>
internal sealed class DashboardSession(IDataProtectionProvider protection, DashboardOptions options, AdminServices admin)
{
    public const string CookieName = "glidepath_session";

    private const int IdLength = 32;

    // v2: the protected text is the session id, a space, then the credential. A v1 cookie (the credential alone, from
    // before sign-outs were recorded) does not open with this purpose: its holder signs in again.
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Glidepath.Dashboard.Session.v2").ToTimeLimitedDataProtector();

    /// <summary>
    /// Whether a session cookie for <paramref name="credential"/> stays within the 4,096 bytes browsers keep for one
    /// cookie (name and value): a larger one is dropped by the browser without a word, and the user is never signed in.
    /// </summary>
    public bool Fits(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var value = _protector.Protect(new string('0', IdLength) + " " + credential, options.SessionLifetime);
        return CookieName.Length + 1 + value.Length <= MaxCookieBytes;
    }

    private const int MaxCookieBytes = 4096;

    /// <summary>
    /// A new session for <paramref name="credential"/>. A session the browser already had is ended first, as by "Sign
    /// out" (a copy of its cookie would otherwise outlive the switch to another token); a store error propagates and
    /// no new session is made.
    /// </summary>
    public async Task SignInAsync(HttpContext http, string credential)
    {
        await EndAsync(http).ConfigureAwait(false);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        http.Response.Cookies.Append(CookieName, _protector.Protect(id + " " + credential, options.SessionLifetime), Cookie(http));
    }

    /// <summary>
    /// Ends the request's session for every copy of its cookie (recorded in the store until the cookie would have
    /// expired), then deletes the cookie. A store error propagates with the cookie kept: the session was not ended.
    /// </summary>
    public async Task SignOutAsync(HttpContext http)
    {
        await EndAsync(http).ConfigureAwait(false);
        http.Response.Cookies.Delete(CookieName, Cookie(http));
    }

    /// <summary>
    /// The credential of the request's session, or null when there is none, it expired, it was not made here or it was
    /// signed out. A store error propagates (the caller answers 503): a failure to check is never a session.
    /// </summary>
    public async Task<string?> CredentialAsync(HttpContext http)
    {
        if (Read(http) is not { } session)
        {
            return null;
        }

        return await admin.Store.SignOuts.IsSignedOutAsync(session.Id, http.RequestAborted).ConfigureAwait(false) ? null : session.Credential;
    }

    /// <summary>
    /// What a signed-in page's form tokens are bound to (<see cref="FormTokens"/>): a SHA-256 of the request's session id
    /// under a label of its own, or null when the request has no session cookie this host can open (none, expired, made
    /// with another key). Never the credential, and not the id itself (the id is what the store records at sign-out).
    /// A signed-out session still has one: its forms pass the token check and are refused as not signed in.
    /// </summary>
    public string? FormBinding(HttpContext http) =>
        Read(http) is { } session ? Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(FormBindingLabel + session.Id))) : null;

    private const string FormBindingLabel = "glidepath/dashboard-form-binding/v1/";

    private async Task EndAsync(HttpContext http)
    {
        if (Read(http) is { } session)
        {
            var signOut = new SignedOutSession { SessionId = session.Id, App = admin.App, SignedOutAt = admin.Options.Time.GetUtcNow(), Until = session.Expires };
            await admin.Store.SignOuts.AddAsync(signOut, http.RequestAborted).ConfigureAwait(false);
        }
    }

    private (string Id, string Credential, DateTimeOffset Expires)? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        string text;
        DateTimeOffset expires;
        try
        {
            text = _protector.Unprotect(value, out expires);
        }
        catch (CryptographicException)
        {
            return null;
        }

        return text.Length > IdLength + 1 && text[IdLength] == ' ' ? (text[..IdLength], text[(IdLength + 1)..], expires) : null;
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
