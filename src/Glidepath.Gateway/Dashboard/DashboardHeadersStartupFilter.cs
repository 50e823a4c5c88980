using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Puts the dashboard's security headers (<see cref="DashboardSecurity.Headers"/>) on answers under <c>/dashboard</c> that
/// no dashboard endpoint gives, so its endpoint filter never runs: routing's 404 for an unknown path and 405 for a known
/// path with another method. Registered by <see cref="DashboardServiceCollectionExtensions.AddGlidepathDashboard"/>, so
/// every host gets it first in its pipeline; on any other path it costs one prefix comparison and allocates nothing.
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
            }

            return nextStep(context);
        });
        next(app);
    };
}
