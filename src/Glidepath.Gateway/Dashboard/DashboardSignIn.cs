using Glidepath.Access;
using Glidepath.Gateway.Dashboard.Pages;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Sign-in: the user pastes an access token (<c>glidepath tokens create</c>) or an OpenID Connect token; it is checked
/// exactly as the admin API checks a bearer token, and kept only in the session cookie (<see cref="DashboardSession"/>).
/// </summary>
internal static class DashboardSignIn
{
    private const int MaxCredentialLength = 16 * 1024;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", () => Results.Redirect(DashboardEndpointRouteBuilderExtensions.Prefix + "/environments"));
        group.MapGet("/sign-in", (HttpContext http) => Form(http, null, StatusCodes.Status200OK));
        group.MapPost("/sign-in", async (HttpContext http) =>
        {
            if (await FormChecks.RefusalAsync(http) is { } refused)
            {
                return refused;
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var credential = form["token"].ToString().Trim();
            if (credential.Length is 0 or > MaxCredentialLength)
            {
                return Form(http, "Paste an access token (gpt_…) or an OpenID Connect token.", StatusCodes.Status400BadRequest);
            }

            var auth = await http.RequestServices.GetRequiredService<DashboardAuth>().AuthenticateAsync(http, credential);
            if (auth.Principal is not { } principal)
            {
                return Form(http, "Refused: " + auth.Refusal, StatusCodes.Status401Unauthorized);
            }

            if (!principal.Allows(null, Role.Viewer))
            {
                return Form(http, $"Refused: {principal.Actor} has no role in any environment of this app.", StatusCodes.Status403Forbidden);
            }

            http.RequestServices.GetRequiredService<DashboardSession>().SignIn(http, credential);
            return Results.Redirect(DashboardEndpointRouteBuilderExtensions.Prefix + "/environments");
        });
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            if (await FormChecks.RefusalAsync(http) is { } refused)
            {
                return refused;
            }

            http.RequestServices.GetRequiredService<DashboardSession>().SignOut(http);
            return Results.Redirect(DashboardEndpointRouteBuilderExtensions.Prefix + "/sign-in");
        });
    }

    private static RazorComponentResult<SignInPage> Form(HttpContext http, string? message, int status) => new(new Dictionary<string, object?>
    {
        ["Csrf"] = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http),
        ["Message"] = message,
        ["App"] = http.RequestServices.GetRequiredService<DashboardReads>().App,
    })
    {
        StatusCode = status,
    };
}
