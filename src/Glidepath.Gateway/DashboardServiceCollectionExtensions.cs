using Glidepath.Gateway.Dashboard;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Glidepath.Gateway;

/// <summary>Composes the dashboard (<c>/dashboard</c>) into a host's services, beside the admin API it builds on.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="DashboardEndpointRouteBuilderExtensions.MapGlidepathDashboard"/> maps: server-side
    /// rendering of the pages (Razor components), antiforgery tokens for its forms, the session cookie's protection.
    /// Needs <see cref="AdminServiceCollectionExtensions.AddGlidepathAdmin"/>: the dashboard reads and acts through the
    /// admin API's services, credentials and roles.
    /// </summary>
    public static IServiceCollection AddGlidepathDashboard(this IServiceCollection services, DashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(options ?? new DashboardOptions());
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "glidepath_csrf";
            o.Cookie.Path = DashboardEndpointRouteBuilderExtensions.Prefix;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            // Secure over https, as the session cookie (the framework's default never marks it so).
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "csrf";
            o.HeaderName = null;

            // The dashboard sends X-Frame-Options: DENY and frame-ancestors 'none' itself (DashboardSecurity).
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddSingleton<DashboardSession>();
        services.AddSingleton<DashboardAuth>();
        services.AddSingleton<DashboardRules>();
        services.AddSingleton<DashboardReads>();
        services.AddSingleton<DashboardStreams>();

        // The security headers on /dashboard answers no dashboard endpoint gives (404, 405): a middleware, not a filter.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, DashboardHeadersStartupFilter>());
        return services;
    }
}
