using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway;

/// <summary>Maps the dashboard into a host's routing, next to the admin API.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>Where the dashboard lives.</summary>
    public const string Prefix = "/dashboard";

    /// <summary>
    /// Maps <c>/dashboard</c>: the pages (GET, server-rendered), the actions (POST forms with an antiforgery token, from
    /// this origin only), the live stream of a page (server-sent events), and its stylesheet and script. Every page and
    /// action needs the role of the admin-API operation it stands for, so map the admin API too
    /// (<see cref="AdminEndpointRouteBuilderExtensions.MapGlidepathAdmin"/>). Returns the group for the host's own conventions.
    /// </summary>
    public static RouteGroupBuilder MapGlidepathDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetService<AdminServices>()
            ?? throw new InvalidOperationException("MapGlidepathDashboard needs services.AddGlidepathAdmin(options) in the host's services");
        _ = endpoints.ServiceProvider.GetService<DashboardReads>()
            ?? throw new InvalidOperationException("MapGlidepathDashboard needs services.AddGlidepathDashboard() in the host's services");
        // Every answer under the prefix gets the security headers from DashboardHeadersStartupFilter (AddGlidepathDashboard).
        var group = endpoints.MapGroup(Prefix);
        group.ExcludeFromDescription();
        DashboardAssets.Map(group);
        DashboardSignIn.Map(group);
        DashboardPageEndpoints.Map(group);
        DashboardCaseEndpoint.Map(group);
        DashboardActionEndpoints.Map(group);
        DashboardEvents.Map(group);
        return group;
    }
}
