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
public sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, IReadOnlyList<string> urls)
    {
        _app = app;
        Urls = urls;
    }

    /// <summary>The addresses bound (a port 0 becomes the port chosen).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <param name="logsToStderr">Log lines on stderr (a CLI under <c>--format json</c>, whose stdout is its JSON document).</param>
    public static async Task<DashboardServer> StartAsync(AdminOptions admin, DashboardOptions dashboard, IReadOnlyList<string> urls, LogLevel logLevel, bool logsToStderr, CancellationToken cancellationToken)
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
        return new DashboardServer(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
