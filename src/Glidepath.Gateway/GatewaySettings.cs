using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Storage;

namespace Glidepath.Gateway;

/// <summary>Everything a gateway needs to serve one environment of one app.</summary>
public sealed record GatewaySettings
{
    public required Manifest Manifest { get; init; }
    public required string Environment { get; init; }
    public required IEnvironmentStore Environments { get; init; }
    public required IReleaseStore Releases { get; init; }
    public required ITraceStore Traces { get; init; }
    public required IModelClientFactory Models { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The store's identity (the store itself): keys subject hashes with the store's secret, and lets the gateway
    /// notice that its store file was deleted (stale, fail static) or replaced (follow the new store). Null — only in
    /// tests that wire stores by hand — hashes subjects with an empty key and never checks.
    /// </summary>
    public Glidepath.Storage.IStoreIdentitySource? Identity { get; init; }

    /// <summary>Rollouts; with <see cref="RolloutController"/> also set, the gateway runs the rollout controller.</summary>
    public IRolloutStore? Rollouts { get; init; }

    /// <summary>The rollout controller's settings (interval, lease holder); null runs no controller in this gateway.</summary>
    public Glidepath.Rollouts.RolloutControllerOptions? RolloutController { get; init; }

    /// <summary>Where drift alerts are stored; null turns the gateway's periodic drift check off.</summary>
    public IMonitorStore? Monitor { get; init; }

    /// <summary>How often the gateway runs the drift check of its environment (see docs/monitoring.md).</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Kestrel listen addresses, e.g. <c>http://127.0.0.1:8080</c>; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:4000"];

    /// <summary>How often the environment's revision is read (SQLite polling); at most 250 ms so a rollback is served within 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Longest wait for one of a provider's <c>max_concurrency</c> slots; then the request fails fast with 503
    /// overloaded (counted against its release), so upstream calls that hang cannot starve healthy traffic.
    /// </summary>
    public TimeSpan ProviderQueueWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Traces waiting for the batch writer; when full, new traces are dropped and counted, never waited for.</summary>
    public int TraceQueueCapacity { get; init; } = 10_000;

    public int TraceBatchSize { get; init; } = 500;

    /// <summary>How long the batch writer lets traces gather before one transaction writes them.</summary>
    public TimeSpan TraceFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>OTLP endpoint (from OTEL_EXPORTER_OTLP_ENDPOINT); null turns OTLP export off.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Minimum log level of the host (Warning keeps request logs out of a CLI's output).</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>"text" (the console's lines) or "json" (one JSON object per line, for a log pipeline).</summary>
    public string LogFormat { get; init; } = "text";
}
