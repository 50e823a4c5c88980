using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// What every dashboard form post must pass before anything else: it comes from this origin (<see cref="DashboardSecurity.CrossOriginRefusal"/>)
/// and carries the antiforgery token of this browser's page. Either failing is a 403 and nothing is done.
/// </summary>
internal static class FormChecks
{
    public static async Task<IResult?> RefusalAsync(HttpContext http)
    {
        if (DashboardSecurity.CrossOriginRefusal(http.Request) is { } crossOrigin)
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, crossOrigin, null);
        }

        if (!http.Request.HasFormContentType)
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, "refused: not a form post", null);
        }

        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return DashboardRequest.Error(http, StatusCodes.Status403Forbidden, "refused: the form's antiforgery token is missing or does not match; reload the page and try again", null);
        }

        return null;
    }
}
