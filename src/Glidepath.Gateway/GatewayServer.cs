using Glidepath.Errors;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Hosting;
using Glidepath.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Glidepath.Gateway;

/// <summary>A running gateway: Kestrel serving one environment of one app until disposed.</summary>
public sealed partial class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayServer(WebApplication app, IReadOnlyList<string> urls, IReadOnlyList<string> adminUrls, IReadOnlyList<string> metricsUrls, string? exposureWarning, string? clearTextWarning, string? metricsWarning)
    {
        _app = app;
        Urls = urls;
        AdminUrls = adminUrls;
        MetricsUrls = metricsUrls;
        ExposureWarning = exposureWarning;
        ClearTextWarning = clearTextWarning;
        MetricsWarning = metricsWarning;
    }

    /// <summary>The addresses actually bound for traffic (a port 0 in the settings becomes the port chosen).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>The admin API's own addresses as bound; empty when it is served on <see cref="Urls"/> (or not at all).</summary>
    public IReadOnlyList<string> AdminUrls { get; }

    /// <summary>The addresses of <c>/metrics</c> without a token, as bound; empty when it is served on <see cref="Urls"/> with one.</summary>
    public IReadOnlyList<string> MetricsUrls { get; }

    /// <summary>
    /// Set when the gateway listens on an address other machines can reach (it is also logged as a warning): it says
    /// what callers there can do without a key, so a host should print it where the operator sees it.
    /// </summary>
    public string? ExposureWarning { get; }

    /// <summary>
    /// Set when the admin API and the dashboard listen on plain http on an address other machines can reach and no
    /// reverse proxy is named (<see cref="GatewayServerOptions.ForwardedFrom"/>): tokens and session cookies would cross
    /// the network readable. Also logged as a warning.
    /// </summary>
    public string? ClearTextWarning { get; }

    /// <summary>
    /// Set when <c>/metrics</c> has its own listener (served there without a token) on plain http on an address other
    /// machines can reach. Also logged as a warning.
    /// </summary>
    public string? MetricsWarning { get; }

    /// <summary>The host's services (tests drive the chat endpoint with a crafted connection).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>
    /// Composes the serving core and the gateway's endpoints, loads the environment's routing table (failing with an
    /// <see cref="OperationalException"/> when the store cannot be read: a gateway never starts without a table), then
    /// starts listening.
    /// </summary>
    public static async Task<GatewayServer> StartAsync(ServingOptions serving, GatewayServerOptions server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serving);
        ArgumentNullException.ThrowIfNull(server);
        var (app, listeners) = Build(serving, server);

        // A model factory built before this host (serve, the demo) logs its clients' retries through the host's logging.
        (serving.Models as Glidepath.Providers.ModelClientFactory)?.UseHostLogging(app.Services.GetRequiredService<ILoggerFactory>());
        try
        {
            // Before the host starts, so the refusal reaches the caller as one error rather than after the host's own
            // "failed to start" log with its stack trace; KeysRequiredCheck repeats it at start for a key revoked in between.
            if (server.Gateway.RequireKeys && serving.ApiKeys is { } stored)
            {
                var keys = await stored.ListAsync(serving.Manifest.App, serving.Environment, cancellationToken).ConfigureAwait(false);
                GatewayAuthentication.CheckKeysExist(true, keys.Count(k => k.WorksIn(serving.Environment)), serving.Environment);
            }

            PortsInUse.Check([.. server.Urls, .. server.AdminUrls, .. server.MetricsUrls], "stop the other process or pass --urls with a free port");
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var addresses = listeners is null
            ? app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? []
            : Bound(listeners, Listener.Main);
        var warning = ListenExposure.Warning(ListenExposure.NonLoopback(server.Urls.Concat(addresses).Distinct(StringComparer.OrdinalIgnoreCase)), server.Gateway.RequireKeys);
        var clearText = server.Admin is null ? null
            : ListenExposure.ClearTextWarning(server.AdminUrls.Count > 0 ? server.AdminUrls : server.Urls, server.ForwardedFrom is not null);
        var metrics = ListenExposure.MetricsWarning(server.MetricsUrls);
        foreach (var line in new[] { warning, clearText, metrics })
        {
            if (line is not null)
            {
                LogExposed(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GatewayServer>(), line);
            }
        }

        return listeners is null
            ? new GatewayServer(app, addresses, [], [], warning, clearText, metrics)
            : new GatewayServer(app, addresses, Bound(listeners, Listener.Admin), Bound(listeners, Listener.Metrics), warning, clearText, metrics);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The URLs Kestrel bound for one kind of listener (a port 0 is the port it chose).</summary>
    private static List<string> Bound(List<(Listener Listener, Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions Options)> listeners, Listener which) =>
        [.. listeners.Where(l => l.Listener == which).Select(l => ListenEndpoints.Url(l.Options.IPEndPoint!.Address, l.Options.IPEndPoint.Port))];

    private static (WebApplication App, List<(Listener, Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions)>? Listeners) Build(ServingOptions serving, GatewayServerOptions server)
    {
        GlidepathHost.CheckUrls(server.Urls, barePorts: server.AdminUrls.Count > 0 || server.MetricsUrls.Count > 0);
        var builder = GlidepathHost.CreateSlim(server.LogsToStderr);
        builder.Logging.SetMinimumLevel(server.LogLevel);

        // ASP.NET Core's own per-request lines (four per request) say nothing about releases or arms: the gateway
        // logs one line per request itself. Keep the framework's warnings and errors, and its start/stop lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting's diagnostics category logs the per-request lines filtered out above, and a start-up failure that the
        // start throws to the caller anyway (serve reports it and exits 3); yet while any level of it is on, ASP.NET Core
        // starts an Activity for every request for their scope, and the provider client, seeing a current Activity,
        // starts another for every upstream call: two activities (and their execution-context changes) per request that
        // nothing reads. With OpenTelemetry on, the listener still has hosting start its span.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (server.LogFormat == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        }

        // One set of URLs: Kestrel's own parsing, as always. Separate admin or metrics ports: explicit listeners, each
        // connection tagged with the listener it came in on (ListenEndpoints), so each port answers only its own paths.
        var separate = server.AdminUrls.Count > 0 || server.MetricsUrls.Count > 0;
        List<(Listener, Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions)>? listeners = separate ? [] : null;
        if (!separate)
        {
            builder.WebHost.UseUrls([.. server.Urls]);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            if (listeners is not null)
            {
                listeners.AddRange(ListenEndpoints.Bind(k, server.Urls, Listener.Main).Select(o => (Listener.Main, o)));
                listeners.AddRange(ListenEndpoints.Bind(k, server.AdminUrls, Listener.Admin, server.SidePortMaxConnections).Select(o => (Listener.Admin, o)));
                listeners.AddRange(ListenEndpoints.Bind(k, server.MetricsUrls, Listener.Metrics, server.SidePortMaxConnections).Select(o => (Listener.Metrics, o)));
            }

            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = server.Gateway.MaxRequestBodyBytes;

            // Kestrel answers its own header limits with an empty 431; set them above the gateway's
            // (RequestReader), so a caller over ours gets a 431 in its wire format.
            k.Limits.MaxRequestHeadersTotalSize = 4 * RequestReader.MaxHeaderBytes;
            k.Limits.MaxRequestHeaderCount = 4 * RequestReader.MaxHeaderCount;

            // Kestrel answers a header value that is neither ASCII nor UTF-8 with an empty 400; the headers the gateway
            // reads are decoded leniently instead, and such a value is refused in the caller's format (HeaderText).
            k.RequestHeaderEncodingSelector = HeaderText.Decoding;
        });

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = server.ShutdownTimeout);
        services.AddGlidepathServing(serving with { TracesDroppedShownIn = "/readyz's traces_dropped" });
        services.AddGlidepathGateway(server.Gateway);
        if (server.Admin is not null)
        {
            services.AddGlidepathAdmin(server.Admin);
            if (server.Dashboard is { } dashboard)
            {
                services.AddGlidepathDashboard(dashboard);
            }
        }

        AddOpenTelemetry(services, serving, server);

        var app = builder.Build();
        app.UseMiddleware<ListenerGate>(server.AdminUrls.Count > 0, server.MetricsUrls.Count > 0);
        if (server.ForwardedFrom is { } proxies && server.Admin is not null)
        {
            ProxyHeaders.Use(app, proxies);
        }

        app.MapGlidepathGateway();
        if (server.Admin is not null)
        {
            app.MapGlidepathAdmin();
            if (server.Dashboard is not null)
            {
                app.MapGlidepathDashboard();
            }
        }

        app.MapPrometheusScrapingEndpoint(ListenerGate.MetricsPath);

        // Nothing here closes the trace queue when the stop begins (it did, on ApplicationStopping, which fires before
        // Kestrel has finished the requests in flight: their traces were refused and lost). The host stops Kestrel
        // first (WebApplication registers its server after every other hosted service), and the serving core's hosted
        // services after it, the trace writer last of them (AddGlidepathServing): each request's trace is queued before
        // the writer's final drain.
        return (app, listeners);
    }

    private static void AddOpenTelemetry(IServiceCollection services, ServingOptions serving, GatewayServerOptions server)
    {
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("glidepath-gateway", serviceInstanceId: $"{serving.Manifest.App}@{serving.Environment}"))
            .WithMetrics(m =>
            {
                m.AddMeter(ServingTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                m.AddPrometheusExporter();
                if (server.OtlpEndpoint is not null)
                {
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(server.OtlpEndpoint));
                }
            });
        if (server.OtlpEndpoint is not null)
        {
            otel.WithTracing(t => t.AddSource(ServingTelemetry.Name, "Microsoft.AspNetCore").AddOtlpExporter(o => o.Endpoint = new Uri(server.OtlpEndpoint)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogExposed(ILogger logger, string warning);
}
