using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Serving;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Middleware: each listener answers only its own paths (404 otherwise), and <c>/metrics</c> on the main listener needs an
/// access token with a role (any role) in the environment this gateway serves — its release labels, canary arm, traffic and
/// cost are that environment's, which a token of another environment may not read anywhere else either. Without the admin
/// API no token can be checked, so there it is refused: fail closed.
/// </summary>
internal sealed class ListenerGate(RequestDelegate next, bool adminSeparate, bool metricsSeparate)
{
    public const string MetricsPath = "/metrics";

    public async Task InvokeAsync(HttpContext http)
    {
        var listener = ListenEndpoints.Of(http);
        var path = http.Request.Path;
        // Compared as routing matches: without regard to case, a trailing slash included (/METRICS and /metrics/ reach
        // the same endpoint, and were served without the token check).
        var admin = IsControlPlane(path);
        var metrics = path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase);
        var home = admin ? (adminSeparate ? Listener.Admin : Listener.Main)
            : metrics ? (metricsSeparate ? Listener.Metrics : Listener.Main)
            : Listener.Main;
        if (listener != home)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (metrics && !metricsSeparate && !await MetricsAllowedAsync(http).ConfigureAwait(false))
        {
            return;
        }

        await next(http).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether a path is the admin API's or the dashboard's (the dashboard is the admin API's face: it lives on the same
    /// listener). Compared as routing matches: without regard to case, a trailing slash included.
    /// </summary>
    public static bool IsControlPlane(PathString path) =>
        path.StartsWithSegments(AdminEndpointRouteBuilderExtensions.Prefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(DashboardEndpointRouteBuilderExtensions.Prefix, StringComparison.OrdinalIgnoreCase);

    private static async Task<bool> MetricsAllowedAsync(HttpContext http)
    {
        if (http.RequestServices.GetService<AdminAuthenticator>() is not { } authenticator)
        {
            await AdminResults.Unauthenticated("/metrics on this port needs an access token, and this gateway checks none (no admin API); serve it on its own port with --metrics-urls").ExecuteAsync(http).ConfigureAwait(false);
            return false;
        }

        AdminAuthentication result;
        try
        {
            result = await authenticator.AuthenticateAsync(http).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await AdminResults.Error(StatusCodes.Status503ServiceUnavailable, "the credential could not be checked (the store or the identity provider is unavailable)", 3).ExecuteAsync(http).ConfigureAwait(false);
            return false;
        }

        if (result.Principal is not { } principal)
        {
            await AdminResults.Unauthenticated(result.Refusal!).ExecuteAsync(http).ConfigureAwait(false);
            return false;
        }

        var environment = http.RequestServices.GetRequiredService<ServingOptions>().Environment;
        if (!principal.Allows(environment, Role.Viewer))
        {
            await AdminResults.Forbidden($"{principal.Actor} may not read /metrics of this gateway: it serves '{environment}', and the token needs a role there (any role)").ExecuteAsync(http).ConfigureAwait(false);
            return false;
        }

        return true;
    }
}
