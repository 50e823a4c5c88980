using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway;

/// <summary>
/// The dashboard on its own (<c>glidepath dashboard</c>): Kestrel serving <c>/dashboard</c> and the admin API it stands on
/// (<c>/admin/v1</c>) over a store, without serving traffic or running a controller. Useful beside gateways that serve
/// no admin API, or on an operator's machine against a shared PostgreSQL store.
/// </summary>
public sealed partial class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, IReadOnlyList<string> urls, string? clearTextWarning)
    {
        _app = app;
        Urls = urls;
        ClearTextWarning = clearTextWarning;
    }

    /// <summary>The addresses bound (a port 0 becomes the port chosen).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>
    /// Set when it listens on plain http on an address other machines can reach and no reverse proxy is named: tokens and
    /// session cookies would cross the network readable. Also logged as a warning.
    /// </summary>
    public string? ClearTextWarning { get; }

    /// <param name="forwardedFrom">The reverse proxies whose forwarded scheme (and host) to believe; null believes none.</param>
    /// <param name="logsToStderr">Log lines on stderr (a CLI under <c>--format json</c>, whose stdout is its JSON document).</param>
    public static async Task<DashboardServer> StartAsync(AdminOptions admin, DashboardOptions dashboard, IReadOnlyList<string> urls, TrustedProxies? forwardedFrom, LogLevel logLevel, bool logsToStderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        ArgumentNullException.ThrowIfNull(urls);
        GlidepathHost.CheckUrls(urls);
        var builder = GlidepathHost.CreateSlim(logsToStderr);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls([.. urls]);
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services.AddGlidepathAdmin(admin);
        builder.Services.AddGlidepathDashboard(dashboard);
        var app = builder.Build();
        if (forwardedFrom is not null)
        {
            ProxyHeaders.Use(app, forwardedFrom);
        }

        app.MapGlidepathAdmin();
        app.MapGlidepathDashboard();
        try
        {
            PortsInUse.Check(urls, "pass --urls with a free port");
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var clearText = ListenExposure.ClearTextWarning(urls, forwardedFrom is not null);
        if (clearText is not null)
        {
            LogClearText(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<DashboardServer>(), clearText);
        }

        return new DashboardServer(app, bound, clearText);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogClearText(ILogger logger, string warning);
}
