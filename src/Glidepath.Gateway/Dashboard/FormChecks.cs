using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What every dashboard form post must pass before anything else: it comes from this origin (<see cref="DashboardSecurity.CrossOriginRefusal"/>)
/// and carries the antiforgery token of this browser's page — for a signed-in form, a page of the session the request's
/// cookie carries (<see cref="FormTokens"/>). Either failing is a 403 and nothing is done.
/// </summary>
internal static class FormChecks
{
    /// <param name="signedIn">
    /// The form is on a signed-in page (an action, sign-out): its token must be bound to the request's session. False for the
    /// sign-in form, whose token is bound to no session whatever session cookie the browser still carries (one that expired,
    /// was signed out or whose token was revoked), so that signing in again always works.
    /// </param>
    public static async Task<IResult?> RefusalAsync(HttpContext http, bool signedIn)
    {
        if (DashboardSecurity.CrossOriginRefusal(http.Request) is { } crossOrigin)
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, crossOrigin, null);
        }

        if (!http.Request.HasFormContentType)
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, "refused: not a form post", null);
        }

        var binding = signedIn ? http.RequestServices.GetRequiredService<DashboardSession>().FormBinding(http) : null;
        if (!await FormTokens.IsValidAsync(http, binding))
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, "refused: the form's antiforgery token is missing or does not match; reload the page and try again", null);
        }

        return null;
    }
}
