using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard.Pages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Sign-in: the user pastes an access token (<c>glidepath tokens create</c>) or an OpenID Connect token; it is checked
/// exactly as the admin API checks a bearer token, and kept only in the session cookie (<see cref="DashboardSession"/>).
/// </summary>
internal static partial class DashboardSignIn
{
    private const int MaxCredentialLength = 16 * 1024;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/", () => Results.Redirect(DashboardEndpointRouteBuilderExtensions.Prefix + "/environments"));
        group.MapGet("/sign-in", (HttpContext http) => Form(http, null, StatusCodes.Status200OK, DashboardReturnUrl.Safe(http.Request.Query["return"].ToString())));
        group.MapPost("/sign-in", async (HttpContext http) =>
        {
            if (await FormChecks.RefusalAsync(http, signedIn: false) is { } refused)
            {
                return refused;
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var credential = form["token"].ToString().Trim();
            var back = DashboardReturnUrl.Safe(form["return"].ToString());
            if (credential.Length is 0 or > MaxCredentialLength)
            {
                return Form(http, "Paste an access token (gpt_…) or an OpenID Connect token.", StatusCodes.Status400BadRequest, back);
            }

            AdminAuthentication auth;
            try
            {
                auth = await http.RequestServices.GetRequiredService<DashboardAuth>().AuthenticateAsync(http, credential);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // As on every signed-in page: a failure to check is never a sign-in, and it is not the token's fault either.
                LogCheckFailed(http.RequestServices.GetRequiredService<ILogger<DashboardSession>>(), ex.GetType().Name);
                return Form(http, "Not signed in: your token could not be checked (the store or the identity provider is unavailable); try again.", StatusCodes.Status503ServiceUnavailable, back);
            }

            if (auth.Principal is not { } principal)
            {
                return Form(http, "Refused: " + auth.Refusal, StatusCodes.Status401Unauthorized, back);
            }

            if (!principal.Allows(null, Role.Viewer))
            {
                return Form(http, $"Refused: {principal.Actor} has no role in any environment of this app.", StatusCodes.Status403Forbidden, back);
            }

            if (!http.RequestServices.GetRequiredService<DashboardSession>().Fits(credential))
            {
                return Form(http, $"Not signed in: this token is {credential.Length} characters, too long for the session cookie (browsers keep at most 4 KB per cookie and would drop it silently); sign in with an access token (glidepath tokens create) or ask the identity provider for a smaller token.", StatusCodes.Status400BadRequest, back);
            }

            try
            {
                await http.RequestServices.GetRequiredService<DashboardSession>().SignInAsync(http, credential);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSignOutFailed(http.RequestServices.GetRequiredService<ILogger<DashboardSession>>(), ex.GetType().Name);
                return Form(http, "Not signed in: the session this browser had could not be ended (the store is unavailable); try again.", StatusCodes.Status503ServiceUnavailable, back);
            }

            return Results.Redirect(back ?? DashboardEndpointRouteBuilderExtensions.Prefix + "/environments");
        });
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            if (await FormChecks.RefusalAsync(http, signedIn: true) is { } refused)
            {
                return refused;
            }

            try
            {
                await http.RequestServices.GetRequiredService<DashboardSession>().SignOutAsync(http);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The cookie is kept: deleting it here would leave a copy of it working while the user believes it ended.
                LogSignOutFailed(http.RequestServices.GetRequiredService<ILogger<DashboardSession>>(), ex.GetType().Name);
                return DashboardRequest.Error(http, StatusCodes.Status503ServiceUnavailable, "you were not signed out: the sign-out could not be recorded (the store is unavailable); try again", null);
            }

            return Results.Redirect(DashboardEndpointRouteBuilderExtensions.Prefix + "/sign-in");
        });
    }

    private static RazorComponentResult<SignInPage> Form(HttpContext http, string? message, int status, string? back = null) => new(new Dictionary<string, object?>
    {
        ["Return"] = back,
        // Bound to no session, as its post is checked: whatever session cookie the browser still carries.
        ["Csrf"] = FormTokens.Issue(http, null),
        ["Message"] = message,
        ["App"] = http.RequestServices.GetRequiredService<DashboardReads>().App,
    })
    {
        StatusCode = status,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard: a sign-in could not be checked ({Error}); not signed in")]
    private static partial void LogCheckFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard: a sign-out could not be recorded ({Error}); the session goes on")]
    private static partial void LogSignOutFailed(ILogger logger, string error);
}
