using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The steps every dashboard page takes: who is signed in (else to the sign-in page), whether they may do the admin
/// operation the page stands for in its environment (else 403), then the page — or the error page with the status the
/// admin API would answer (400, 409, 503).
/// </summary>
internal static partial class DashboardRequest
{
    /// <summary>Renders <typeparamref name="TPage"/> with the parameters <paramref name="build"/> returns (its <c>Page</c> parameter is added).</summary>
    public static async Task<IResult> PageAsync<TPage>(HttpContext http, string section, string title, string? environment, string adminPattern,
        Func<DashboardPage, CancellationToken, Task<Dictionary<string, object?>>> build)
        where TPage : IComponent
    {
        var (page, refusal) = await AuthorizeAsync(http, section, title, environment, adminPattern);
        if (refusal is not null)
        {
            return refusal;
        }

        try
        {
            page = page! with { Notice = await DashboardNotices.ReadAsync(http.Request.Query, page.Principal, page.Environment, http.RequestServices.GetRequiredService<AdminServices>(), http.RequestAborted) };
            var parameters = await build(page, http.RequestAborted);
            parameters["Page"] = page;
            return new RazorComponentResult<TPage>(parameters);
        }
        catch (GlidepathException ex)
        {
            return Error(http, ex.Kind switch
            {
                FailureKind.BadInput => StatusCodes.Status400BadRequest,
                FailureKind.Refused => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            }, ex.Message, page);
        }
    }

    /// <summary>The page context of a signed-in principal allowed the operation at <paramref name="adminPattern"/>, or the answer refusing them.</summary>
    public static async Task<(DashboardPage? Page, IResult? Refusal)> AuthorizeAsync(HttpContext http, string section, string title, string? environment, string adminPattern)
    {
        var services = http.RequestServices;
        var admin = services.GetRequiredService<AdminServices>();
        AdminAuthentication auth;
        try
        {
            auth = await services.GetRequiredService<DashboardAuth>().AuthenticateAsync(http);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(services.GetRequiredService<ILogger<DashboardAuth>>(), ex.GetType().Name);
            return (null, Error(http, StatusCodes.Status503ServiceUnavailable, "your sign-in could not be checked (the store or the identity provider is unavailable); nothing was done", null));
        }

        if (auth.Principal is not { } principal)
        {
            return (null, HttpMethods.IsGet(http.Request.Method)
                ? Results.Redirect(DashboardReturnUrl.SignInFor(http.Request.Path + http.Request.QueryString), permanent: false)
                : Error(http, StatusCodes.Status401Unauthorized, "you are not signed in (or your sign-in expired, or its token was revoked): sign in again", null));
        }

        var manifest = admin.Options.Manifest;
        var rules = services.GetRequiredService<DashboardRules>();
        var csrf = FormTokens.Issue(http, services.GetRequiredService<DashboardSession>().FormBinding(http));
        if (environment is not null && manifest.FindEnvironment(environment) is null)
        {
            // In the signed-in frame (app, who, sign out, navigation), as the 404 of an unknown address: a way back.
            var frame = new DashboardPage
            {
                App = manifest.App,
                Principal = principal,
                Environments = DashboardAuth.Readable(principal, manifest),
                Section = "none",
                Title = "Not found",
                Csrf = csrf,
            };
            return (null, Error(http, StatusCodes.Status404NotFound, $"'{environment}' is not an environment of {manifest.App}", frame));
        }

        var page = new DashboardPage
        {
            App = manifest.App,
            Principal = principal,
            Environments = DashboardAuth.Readable(principal, manifest),
            Environment = environment,
            Section = section,
            Title = title,
            Csrf = csrf,
            Allowed = environment is null ? new HashSet<string>() : DashboardAction.All.Where(a => rules.Allows(principal, a.AdminPattern, environment)).Select(a => a.Name).ToHashSet(),
            LiveStream = section switch
            {
                "environments" when environment is null => DashboardEndpointRouteBuilderExtensions.Prefix + "/events",
                "rollout" or "history" or "alerts" => $"{DashboardEndpointRouteBuilderExtensions.Prefix}/events?env={Uri.EscapeDataString(environment!)}",
                "shadow" => $"{DashboardEndpointRouteBuilderExtensions.Prefix}/events?env={Uri.EscapeDataString(environment!)}&page=shadow",
                _ => null,
            },
            LiveHeartbeat = services.GetRequiredService<DashboardOptions>().LiveHeartbeat,
        };
        if (!rules.Allows(principal, adminPattern, environment))
        {
            var role = rules.Of(adminPattern) is { } access ? RoleNames.Name(access.Role) : "(unknown)";
            var where = environment is null ? "in any environment" : $"in '{environment}'";
            // No live stream on a refusal: the stream of an environment the principal may not read answers 403 too, and the
            // page would say "Reconnecting…" for as long as it is open.
            return (page, Error(http, StatusCodes.Status403Forbidden, $"{principal.Actor} may not do this {where}: it needs the {role} role there", page with { LiveStream = null }));
        }

        return (page, null);
    }

    /// <summary>
    /// Runs <paramref name="next"/>; when no endpoint answered (routing's bare 404 for an address under the prefix that is
    /// no page), answers the dashboard's 404 page instead: with the navigation for a signed-in visitor, so there is a way
    /// back. A 404 a page gave itself (an unknown environment), and a 405, are left as they are.
    /// </summary>
    public static async Task NotFoundPageAsync(HttpContext http, RequestDelegate next)
    {
        await next(http);
        if (http.Response.StatusCode != StatusCodes.Status404NotFound || http.Response.HasStarted || http.GetEndpoint() is not null)
        {
            return;
        }

        var (page, _) = await AuthorizeAsync(http, "none", "Not found", null, AdminEndpointRouteBuilderExtensions.Prefix + "/status");
        await Error(http, StatusCodes.Status404NotFound, "there is no dashboard page at this address", page).ExecuteAsync(http);
    }

    /// <param name="retry">A link back to the refused form with what was typed (a path the server built), or null.</param>
    public static IResult Error(HttpContext http, int status, string message, DashboardPage? page, string? retry = null)
    {
        http.Response.StatusCode = status;
        return new RazorComponentResult<ErrorPage>(new Dictionary<string, object?> { ["Page"] = page, ["Status"] = status, ["Message"] = message, ["Retry"] = retry })
        {
            StatusCode = status,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "dashboard: a sign-in could not be checked ({Error}); refused")]
    private static partial void LogCheckFailed(ILogger logger, string error);
}
