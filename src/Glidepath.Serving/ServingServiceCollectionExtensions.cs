using System.Diagnostics.Metrics;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving;

/// <summary>Composes the serving core into a host's services.</summary>
public static class ServingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the serving core for one environment, once: <see cref="ChatService"/>, the routing table with its
    /// startup load and refresher, the trace queue and batch writer, online scoring, the shadow mirror, and (when the options ask for them)
    /// the rollout controller and the drift check as hosted services. The options are validated here.
    /// </summary>
    public static IServiceCollection AddGlidepathServing(this IServiceCollection services, ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (services.Any(d => d.ServiceType == typeof(ServingOptions)))
        {
            throw new InvalidOperationException("AddGlidepathServing was already called on these services: one host serves one environment");
        }

        services.AddSingleton(options);
        services.AddSingleton(options.Traces);
        services.AddSingleton(new RoutingTableLoader(options.Environments, options.Releases, options.Time));
        services.AddSingleton<RoutingTableSource>();

        // Keyed with the store's subject key when the host starts (RoutingStartup), re-keyed if the store is replaced.
        services.AddSingleton(new SubjectHasher([]));
        var controlPlane = new ControlPlaneStatus(options.Time, options.HungReadAfter)
        {
            Changes = options.Watch is null ? ChangeFeed.Polled : ChangeFeed.PushedNotCheckedYet,
        };
        services.AddSingleton(controlPlane);
        services.AddSingleton(new StoreWriteStatus(options.Time, options.HungWriteAfter, controlPlane));
        services.AddSingleton<ServingReleases>();
        services.AddSingleton(sp => new ReleaseReadiness(options, sp.GetRequiredService<ILogger<ReleaseReadiness>>()));
        services.AddSingleton(new TraceQueue(options.TraceQueueCapacity, options.TraceCaptureBudgetBytes));
        services.AddSingleton(sp => new ServingTelemetry(
            sp.GetService<IMeterFactory>(), sp.GetRequiredService<RoutingTableSource>(), sp.GetRequiredService<ControlPlaneStatus>(), sp.GetRequiredService<TraceQueue>(),
            sp.GetRequiredService<StoreWriteStatus>()));
        services.AddSingleton(new ContentCapture(options.Manifest.Capture, options.Manifest.Online?.SampleRate ?? 0.1));
        services.AddSingleton<OnlineScorer>();
        services.AddSingleton(sp => new Keys.CallerKeys(options, sp.GetRequiredService<StoreFollower>(), sp.GetRequiredService<ILogger<Keys.CallerKeys>>(), sp.GetRequiredService<RoutingTableSource>()));
        services.AddSingleton<ChatTraceRecorder>();
        services.AddSingleton(sp => new ShadowMirror(options, sp.GetRequiredService<RoutingTableSource>(), sp.GetRequiredService<TraceQueue>(),
            sp.GetRequiredService<ChatService>, sp.GetService<IMeterFactory>(), sp.GetRequiredService<ILogger<ShadowMirror>>(), sp.GetRequiredService<StoreWriteStatus>()));
        services.AddSingleton(sp => new ChatService(options, sp.GetRequiredService<RoutingTableSource>(), sp.GetRequiredService<ServingReleases>(),
            sp.GetRequiredService<ContentCapture>(), sp.GetRequiredService<OnlineScorer>(), sp.GetRequiredService<ChatTraceRecorder>(), sp.GetRequiredService<SubjectHasher>(),
            sp.GetRequiredService<ShadowMirror>(), sp.GetRequiredService<ILogger<ChatService>>()));
        services.AddSingleton<TraceWriter>();
        services.AddSingleton<RoutingRefresher>();

        // Started in this order: the table is loaded before anything else runs. A host stops them in the reverse order,
        // after its server has finished the requests in flight, so the trace writer stops last of the trace pipeline: the
        // shadow mirror (candidates' traces) and the online scorer (sampled traces) hand it what they hold first, and it
        // writes all of it. The order is the guarantee: a trace producer registered before the writer would be stopped
        // after it, and its traces lost.
        services.AddHostedService<RoutingStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<TraceWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<OnlineScorer>());
        services.AddHostedService(sp => sp.GetRequiredService<ShadowMirror>());
        services.AddHostedService(sp => sp.GetRequiredService<RoutingRefresher>());
        AddControlLoops(services, options);
        return services;
    }

    /// <summary>
    /// Registers only the environment's control loops, for a process that serves no traffic (<c>glidepath controller</c>):
    /// the rollout controller (when <see cref="ServingOptions.Rollouts"/> and <see cref="ServingOptions.RolloutController"/>
    /// are set) and the drift check (when <see cref="ServingOptions.Monitor"/> is set), as hosted services. The options are
    /// validated here.
    /// </summary>
    public static IServiceCollection AddGlidepathController(this IServiceCollection services, ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (services.Any(d => d.ServiceType == typeof(ServingOptions)))
        {
            throw new InvalidOperationException("the Glidepath serving core or controller was already added to these services: one host, one environment");
        }

        services.AddSingleton(options);
        AddControlLoops(services, options);
        return services;
    }

    private static void AddControlLoops(IServiceCollection services, ServingOptions options)
    {
        // One per host, shared by every loop that touches the store (the routing poll too): a store file that is gone
        // skips their passes, and one replaced by another store is followed (once it has a stable release) and said once.
        // A gateway reports a store migrated by a newer glidepath in /readyz too; `glidepath controller` has no status, only the log.
        services.AddSingleton(sp => new StoreFollower(options, sp.GetRequiredService<ILogger<StoreFollower>>(), sp.GetService<ControlPlaneStatus>()));
        if (options.Rollouts is { } rollouts && options.RolloutController is { } controllerOptions)
        {
            services.AddHostedService(sp =>
            {
                var logger = sp.GetRequiredService<ILogger<RolloutControllerService>>();
                // A gateway's own trace writer keeping traces it could not write holds advancing too; `glidepath
                // controller` has no writer (no StoreWriteStatus).
                var writes = sp.GetService<StoreWriteStatus>();
                var controller = new RolloutController(rollouts, options.Environments, options.Traces, options.Time, controllerOptions)
                {
                    LeaseChanged = text => RolloutControllerService.LogLease(logger, text),
                    UnwrittenTracesSince = writes is null ? null : () => writes.KeepingSince(StoreWriteStatus.Writer.Traces),
                };
                return new RolloutControllerService(controller, controllerOptions, options, sp.GetRequiredService<StoreFollower>(), logger);
            });
        }

        services.AddHostedService<DriftCheckService>();
        services.AddHostedService<TraceRetentionService>();
    }
}
