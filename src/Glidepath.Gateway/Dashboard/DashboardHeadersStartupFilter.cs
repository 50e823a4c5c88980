using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Puts the dashboard's security headers (<see cref="DashboardSecurity.Headers"/>) on every answer under <c>/dashboard</c>:
/// its pages and actions, and the answers no dashboard endpoint gives (routing's 404 for an unknown path, 405 for a known
/// path with another method), which an endpoint filter would miss. Registered by
/// <see cref="DashboardServiceCollectionExtensions.AddGlidepathDashboard"/>, which the dashboard's endpoints require, so
/// every host that maps them has it first in its pipeline; on any other path it costs one prefix comparison and
/// allocates nothing. A GET under the prefix that no endpoint answers gets the dashboard's own 404 page
/// (<see cref="DashboardRequest.NotFoundPageAsync"/>) rather than an empty body.
/// </summary>
internal sealed class DashboardHeadersStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(static (context, nextStep) =>
        {
            if (context.Request.Path.StartsWithSegments(DashboardEndpointRouteBuilderExtensions.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                DashboardSecurity.Headers(context.Response);
                return HttpMethods.IsGet(context.Request.Method) ? DashboardRequest.NotFoundPageAsync(context, nextStep) : nextStep(context);
            }

            return nextStep(context);
        });
        next(app);
    };
}
