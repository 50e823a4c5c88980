using Glidepath.Gateway.Dashboard;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
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
    /// With <see cref="DashboardOptions.SessionKey"/>, the host's data protection (which the session cookie and the
    /// antiforgery tokens use, and anything else of the host's that uses it) gets that one key as its whole key ring, an
    /// application name of its own (so every host of the app shares the purposes) and no automatic key generation.
    /// </summary>
    public static IServiceCollection AddGlidepathDashboard(this IServiceCollection services, DashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        options ??= new DashboardOptions();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LivePoll, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.LiveHeartbeat, TimeSpan.Zero, nameof(options));
        services.AddSingleton(options);
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
        if (options.SessionKey is { } key)
        {
            UseSessionKey(services, key);
        }

        services.AddSingleton<DashboardSession>();
        services.AddSingleton<DashboardAuth>();
        services.AddSingleton<DashboardRules>();
        services.AddSingleton<DashboardReads>();
        services.AddSingleton<DashboardStreams>();

        // The security headers on /dashboard answers no dashboard endpoint gives (404, 405): a middleware, not a filter.
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, DashboardHeadersStartupFilter>());
        return services;
    }

    /// <summary>
    /// One key ring for every host given the same secret. The application name replaces data protection's default (the
    /// host's content root, which differs between machines and would make the purposes differ); it names the app, so
    /// two apps whose gateways were given one secret still do not read each other's cookies.
    /// </summary>
    private static void UseSessionKey(IServiceCollection services, SessionKey key)
    {
        // After every other configuration (data protection's own default name is set by a Configure): with a session key,
        // this is the key ring, whatever else the host set.
        services.AddOptions<DataProtectionOptions>().PostConfigure<Admin.AdminOptions>((o, admin) => o.ApplicationDiscriminator = "Glidepath.Dashboard/" + admin.Manifest.App);
        services.PostConfigure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new SessionKeyRepository(key);
            o.XmlEncryptor = null; // nothing is written, so nothing is encrypted at rest
            o.AutoGenerateKeys = false;
        });
    }
}
