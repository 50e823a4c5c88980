using Glidepath.Errors;
using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Hosting;
using Glidepath.Gateway.Telemetry;
using Glidepath.Gateway.Wire;
using Glidepath.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
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

    private GatewayServer(WebApplication app, IReadOnlyList<string> urls, string? exposureWarning)
    {
        _app = app;
        Urls = urls;
        ExposureWarning = exposureWarning;
    }

    /// <summary>The addresses actually bound (a port 0 in the settings becomes the port chosen).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>
    /// Set when the gateway listens on an address other machines can reach (it is also logged as a warning): nothing is
    /// authenticated yet, so a host should print it where the operator sees it.
    /// </summary>
    public string? ExposureWarning { get; }

    /// <summary>The host's services (tests drive the forwarder with a crafted connection).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>
    /// Loads the environment's routing table (failing with an <see cref="OperationalException"/> when the store
    /// cannot be read: a gateway never starts without a table), then starts listening.
    /// </summary>
    public static async Task<GatewayServer> StartAsync(GatewaySettings settings, CancellationToken cancellationToken)
    {
        if (settings.Manifest.FindEnvironment(settings.Environment) is null)
        {
            throw new BadInputException($"no environment '{settings.Environment}' in the manifest; declared: {string.Join(", ", settings.Manifest.Environments.Select(e => e.Name))}");
        }

        var loader = new RoutingTableLoader(settings.Environments, settings.Releases, settings.Time);
        var source = new RoutingTableSource();
        SubjectHasher subjects;
        try
        {
            subjects = new SubjectHasher(settings.Identity is { } identity ? (await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false)).SubjectKey : []);
            source.Update(await loader.LoadAsync(settings.Manifest.App, settings.Environment, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not GlidepathException)
        {
            throw new OperationalException($"cannot read environment '{settings.Environment}' from the store: {ex.Message}", ex);
        }

        var app = Build(settings, loader, source, subjects);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var warning = ListenExposure.Warning(ListenExposure.NonLoopback(settings.Urls.Concat(addresses).Distinct(StringComparer.OrdinalIgnoreCase)));
        if (warning is not null)
        {
            LogExposed(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<GatewayServer>(), warning);
        }

        return new GatewayServer(app, addresses, warning);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static WebApplication Build(GatewaySettings settings, RoutingTableLoader loader, RoutingTableSource source, SubjectHasher subjects)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(settings.LogLevel);

        // ASP.NET Core's own per-request lines (four per request) say nothing about releases or arms: the gateway
        // logs one line per request itself. Keep the framework's warnings and errors, and its start/stop lines.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (settings.LogFormat == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        }
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;

            // Kestrel answers its own header limits with an empty 431; set them above the gateway's
            // (RequestReader), so a caller over ours gets a 431 in its wire format.
            k.Limits.MaxRequestHeadersTotalSize = 4 * RequestReader.MaxHeaderBytes;
            k.Limits.MaxRequestHeaderCount = 4 * RequestReader.MaxHeaderCount;
        });

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(settings.Traces);
        services.AddSingleton(loader);
        services.AddSingleton(source);
        services.AddSingleton(subjects);
        services.AddSingleton<ControlPlaneStatus>();
        services.AddSingleton<ServingReleases>();
        services.AddSingleton<GatewayTelemetry>();
        services.AddSingleton(new TraceQueue(settings.TraceQueueCapacity));
        services.AddSingleton(new ContentCapture(settings.Manifest.Capture, settings.Manifest.Online?.SampleRate ?? 0.1));
        services.AddSingleton<OnlineScorer>();
        services.AddHostedService(sp => sp.GetRequiredService<OnlineScorer>());
        services.AddSingleton<ChatForwarder>();
        services.AddSingleton<TraceWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceWriter>());
        services.AddSingleton<RoutingRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<RoutingRefresher>());
        if (settings.Rollouts is { } rollouts && settings.RolloutController is { } controllerOptions)
        {
            var controller = new Glidepath.Rollouts.RolloutController(rollouts, settings.Environments, settings.Traces, settings.Time, controllerOptions);
            services.AddHostedService(sp => new RolloutControllerService(
                controller, controllerOptions, settings, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RolloutControllerService>>()));
        }
        services.AddHostedService<Hosting.DriftCheckService>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("glidepath-gateway", serviceInstanceId: $"{settings.Manifest.App}@{settings.Environment}"))
            .WithMetrics(m =>
            {
                m.AddMeter(GatewayTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                m.AddPrometheusExporter();
                if (settings.OtlpEndpoint is not null)
                {
                    m.AddOtlpExporter(o => o.Endpoint = new Uri(settings.OtlpEndpoint));
                }
            });
        if (settings.OtlpEndpoint is not null)
        {
            otel.WithTracing(t => t.AddSource(GatewayTelemetry.Name, "Microsoft.AspNetCore").AddOtlpExporter(o => o.Endpoint = new Uri(settings.OtlpEndpoint)));
        }

        var app = builder.Build();
        var telemetry = app.Services.GetRequiredService<GatewayTelemetry>();
        var queue = app.Services.GetRequiredService<TraceQueue>();
        var status = app.Services.GetRequiredService<ControlPlaneStatus>();
        status.Ok(settings.Time.GetUtcNow());
        telemetry.ObserveState(() => source.Current?.Revision ?? 0, () => status.Current.Stale ? 1 : 0, () => queue.Count, () => queue.Dropped);

        app.Services.GetRequiredService<ServingReleases>().Warm(source.Current!);
        var forwarder = app.Services.GetRequiredService<ChatForwarder>();
        app.MapPost("/v1/chat/completions", (HttpContext http) => forwarder.HandleAsync(http, OpenAiWire.Instance));
        app.MapPost("/v1/messages", (HttpContext http) => forwarder.HandleAsync(http, AnthropicWire.Instance));
        app.MapPost("/v1/feedback", FeedbackEndpoint.HandleAsync);
        app.MapGet("/v1/models", ModelsEndpoint.List);
        app.MapGet("/healthz", HealthEndpoints.Health);
        app.MapGet("/readyz", HealthEndpoints.Ready);
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.Lifetime.ApplicationStopping.Register(queue.Complete);
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogExposed(ILogger logger, string warning);
}
