using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The antiforgery tokens of the dashboard's forms, bound to the browser's session. ASP.NET Core's antiforgery binds a
/// token to <see cref="HttpContext.User"/> when that user is authenticated (a hash of its <c>sub</c> claim, protected
/// inside the token), and the dashboard's session is not an ASP.NET sign-in: so for the call the user is one whose
/// <c>sub</c> is the session's <see cref="DashboardSession.FormBinding"/>, or no one (the sign-in form), and whatever
/// the host had set is put back after. A token from one session's page is then refused with another session's cookie,
/// on every gateway sharing the session key, and the sign-in form's token is refused once signed in.
/// </summary>
internal static class FormTokens
{
    // The claim the framework's claim-uid extractor reads first; the type names the issuer of the value (nothing else reads it).
    private const string BindingClaim = "sub";
    private const string AuthenticationType = "Glidepath.Dashboard.Session";

    /// <summary>The tokens for a page's forms: bound to <paramref name="binding"/>, or to no session when it is null.</summary>
    public static AntiforgeryTokenSet Issue(HttpContext http, string? binding)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var host = http.User;
        http.User = Bound(binding);
        try
        {
            return antiforgery.GetAndStoreTokens(http);
        }
        finally
        {
            http.User = host;
        }
    }

    /// <summary>
    /// Whether the posted form's token was issued to this browser (its antiforgery cookie) for <paramref name="binding"/>
    /// (null: issued to no session). A missing, malformed or mismatched token is false.
    /// </summary>
    public static async Task<bool> IsValidAsync(HttpContext http, string? binding)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var host = http.User;
        http.User = Bound(binding);
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
        finally
        {
            http.User = host;
        }
    }

    private static ClaimsPrincipal Bound(string? binding) => binding is null
        ? new ClaimsPrincipal(new ClaimsIdentity())
        : new ClaimsPrincipal(new ClaimsIdentity([new Claim(BindingClaim, binding)], AuthenticationType));
}
