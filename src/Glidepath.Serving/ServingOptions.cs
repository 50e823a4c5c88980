using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Storage;

namespace Glidepath.Serving;

/// <summary>
/// Everything the serving core needs to serve one environment of one app, whatever hosts it (the gateway or an
/// in-process client). Checked once by <see cref="Validate"/> when <c>AddGlidepathServing</c> registers it.
/// </summary>
public sealed record ServingOptions
{
    /// <summary>
    /// The options for serving <paramref name="environment"/> from one store: every store-backed part (identity,
    /// environments, releases, traces, rollouts, drift alerts) comes from <paramref name="store"/>, so every host
    /// (serve, the demo, an in-process client, the tests) composes the core the same way. Set the rollout controller,
    /// intervals and time with <c>with</c>.
    /// </summary>
    public static ServingOptions For(IGlidepathStore store, Manifest manifest, string environment, IModelClientFactory models)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ServingOptions
        {
            Manifest = manifest,
            Environment = environment,
            Identity = store,
            Failures = store,
            Environments = store.Environments,
            Releases = store.Releases,
            Traces = store.Traces,
            Rollouts = store.Rollouts,
            Monitor = store.Monitor,
            ApiKeys = store.ApiKeys,
            Shadows = store.Shadows,
            Watch = store as IRevisionWatch,
            Models = models,
        };
    }

    public required Manifest Manifest { get; init; }
    public required string Environment { get; init; }
    public required IEnvironmentStore Environments { get; init; }
    public required IReleaseStore Releases { get; init; }
    public required ITraceStore Traces { get; init; }
    public required IModelClientFactory Models { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The store's identity (the store itself): keys subject hashes with the store's secret, and lets serving notice
    /// that its store file was deleted (stale, fail static) or replaced (follow the new store). Null — only where
    /// stores are wired by hand — hashes subjects with an empty key and never checks.
    /// </summary>
    public Glidepath.Storage.IStoreIdentitySource? Identity { get; init; }

    /// <summary>
    /// Which of the store's failures pass with time (the store busy: another process holds SQLite's write lock, PostgreSQL
    /// reports a serialization failure, a lock timeout or too many connections, a command timed out), and where the store
    /// is, for messages. A batch of traces
    /// or shadow pairs the store could not take for such a failure is kept and written again, as during an outage. Null
    /// (only where stores are wired by hand): every failure of a store that can be reached is a refusal.
    /// </summary>
    public IStoreFailures? Failures { get; init; }

    /// <summary>
    /// Pushed changes of the store (PostgreSQL LISTEN/NOTIFY): the routing table and keys are re-read on each notice,
    /// and <see cref="PollInterval"/> becomes a safety net. Probes check that the notices arrive; while they do not (a
    /// pooler in transaction mode), the host polls every 200 ms at most. Null: polling only (SQLite, in-memory).
    /// </summary>
    public IRevisionWatch? Watch { get; init; }

    /// <summary>Callers' keys, read into a snapshot at start and on every poll; null: no keys are known (a host cannot require them).</summary>
    public IApiKeyStore? ApiKeys { get; init; }

    /// <summary>Where shadow pairs are stored; null: this host mirrors nothing (an active shadow is ignored).</summary>
    public IShadowStore? Shadows { get; init; }

    /// <summary>Stable calls waiting to be mirrored to a shadow candidate; when full, new ones are dropped and counted, never waited for.</summary>
    public int ShadowQueueCapacity { get; init; } = 1_000;

    /// <summary>Rollouts; with <see cref="RolloutController"/> also set, the host runs the rollout controller.</summary>
    public IRolloutStore? Rollouts { get; init; }

    /// <summary>The rollout controller's settings (interval, lease holder); null runs no controller in this host.</summary>
    public Glidepath.Rollouts.RolloutControllerOptions? RolloutController { get; init; }

    /// <summary>Where drift alerts are stored; null turns the periodic drift check off.</summary>
    public IMonitorStore? Monitor { get; init; }

    /// <summary>How often the drift check of the environment runs (see docs/monitoring.md); zero or less turns it off.</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The drift check's recent window (docs/monitoring.md): whole minutes, at most one day.</summary>
    public TimeSpan MonitorWindow { get; init; } = Glidepath.Monitoring.DriftPolicy.DefaultWindow;

    /// <summary>The drift check's reference: the same clock window on earlier days, or on earlier weeks.</summary>
    public Glidepath.Monitoring.DriftReference MonitorReference { get; init; } = Glidepath.Monitoring.DriftReference.Day;

    /// <summary>What the drift check compares: the manifest's metrics with <see cref="MonitorWindow"/> and <see cref="MonitorReference"/>.</summary>
    public Glidepath.Monitoring.DriftPolicy MonitorPolicy() => Glidepath.Monitoring.DriftPolicy.From(Manifest, MonitorWindow, MonitorReference);

    /// <summary>
    /// How often the environment's revision is read: with polling only (SQLite) at most 250 ms so a rollback is served
    /// within 1 s; with a <see cref="Watch"/> a safety net that can be seconds.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long the store may be unreadable before this process stops serving the canary (every request to stable)
    /// until it can read it again: a rollback made meanwhile cannot reach it, and nothing judges the canary. Null:
    /// serve the canary however long the outage lasts.
    /// </summary>
    public TimeSpan? StaleCanaryLimit { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The level of the one log line per request (trace id, release, arm, status, latency): Information on a gateway,
    /// where it is the access log; Debug in the SDK, where it would otherwise fill the host app's log.
    /// </summary>
    public Microsoft.Extensions.Logging.LogLevel RequestLogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>
    /// How long a read of the store may go unanswered before <c>/readyz</c> reports the control plane stale while it
    /// hangs (a frozen connection or a dead mount never fails the read; the driver may wait a minute or more).
    /// </summary>
    public TimeSpan HungReadAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>10 s: the default of <see cref="HungWriteAfter"/>.</summary>
    public static readonly TimeSpan DefaultHungWriteAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a background write of traces may go unanswered before <c>/readyz</c> reports <c>store_writes: busy</c>
    /// while it hangs (a frozen server or connection never fails the write; the driver may wait for its 30 s command
    /// timeout or longer). Above a batch's usual time (well under a second) and a short lock wait; below the 20 s lock
    /// timeout, after which a write fails busy anyway.
    /// </summary>
    public TimeSpan HungWriteAfter { get; init; } = DefaultHungWriteAfter;

    /// <summary>
    /// Longest wait for one of a provider's <c>max_concurrency</c> slots; then the request fails fast with 503
    /// overloaded (counted against its release), so upstream calls that hang cannot starve healthy traffic.
    /// </summary>
    public TimeSpan ProviderQueueWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most requests one caller's key may have calling the model at once; more is a 429 with <c>Retry-After</c>, refused
    /// before routing like a key's rate limit. Null: half of the smallest <c>max_concurrency</c> among the providers the
    /// routed releases (stable and canary) use (16 by default, so 8), at least 1; before a routing table is loaded, among
    /// every provider the manifest configures for the environment. Requests without a key are not limited.
    /// </summary>
    public int? KeyMaxInFlight { get; init; }

    /// <summary>Traces waiting for the batch writer; when full, new traces are dropped and counted, never waited for.</summary>
    public int TraceQueueCapacity { get; init; } = 10_000;

    /// <summary>
    /// Where this host shows how many traces it dropped, as its log lines name it: by default the
    /// <c>glidepath.traces.dropped</c> counter of the <c>Glidepath</c> meter, which every host has (an app with the SDK);
    /// a gateway names its <c>/readyz</c>.
    /// </summary>
    public string TracesDroppedShownIn { get; init; } = "the glidepath.traces.dropped counter";

    /// <summary>
    /// The process hosting this core, as its log lines name it and the settings they advise (how to turn pushed changes
    /// off, how to upgrade): a gateway by default; the SDK names the app and its <c>GlidepathOptions</c>.
    /// </summary>
    public ServingHost Host { get; init; } = ServingHost.Gateway;

    /// <summary>256 MiB: the default of <see cref="TraceCaptureBudgetBytes"/>.</summary>
    public const long DefaultTraceCaptureBudgetBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Most bytes of captured content (text at two bytes a character, as held in memory) the gateway holds before the store:
    /// traces not yet written, traces waiting for online scoring and requests waiting for the shadow. The queues are bounded
    /// in number, but one trace of a 4 MiB request holds about 8 MiB. Past it a trace is queued without its content, which it
    /// says (<c>capture_dropped</c>), a sampled request goes on unscored, and a shadow request is not mirrored; each is counted.
    /// </summary>
    public long TraceCaptureBudgetBytes { get; init; } = DefaultTraceCaptureBudgetBytes;

    /// <summary>
    /// Most traces in one write transaction. Under load a batch fills before the flush interval, so this sets how many
    /// transactions a second the store sees, and each also merges one aggregate row per release, arm, minute and
    /// subject group: 2,000 (was 500) gave the gateway 8% more throughput at 32 connections (docs/benchmarks.md).
    /// </summary>
    public int TraceBatchSize { get; init; } = 2000;

    /// <summary>How long the batch writer lets traces gather before one transaction writes them.</summary>
    public TimeSpan TraceFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the trace and shadow pair writers retry one batch while the store stays busy (a lock another session holds,
    /// a statement or command that timed out) before they give it up: dropped and counted, and logged. A busy failure can
    /// be the batch's own (one the server cannot write within the command timeout, an aggregate row whose lock is never let
    /// go) while later batches would be written. An unreachable store is an outage: its batch is kept however long it lasts.
    /// </summary>
    public TimeSpan StoreBusyLimit { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws a <see cref="BadInputException"/> naming the first setting that cannot be served with.</summary>
    public void Validate()
    {
        if (Manifest.FindEnvironment(Environment) is null)
        {
            throw Glidepath.Environments.EnvironmentService.UnknownEnvironment(Manifest, Environment);
        }

        if (Host is null || string.IsNullOrWhiteSpace(Host.Name) || string.IsNullOrWhiteSpace(Host.PushesOff) || string.IsNullOrWhiteSpace(Host.OnNewerSchema))
        {
            throw new BadInputException($"serving option {nameof(Host)} names no host or leaves its advice empty; expected e.g. {nameof(ServingHost)}.{nameof(ServingHost.Gateway)}");
        }

        Positive(PollInterval, nameof(PollInterval));
        Positive(HungReadAfter, nameof(HungReadAfter));
        Positive(HungWriteAfter, nameof(HungWriteAfter));
        if (StaleCanaryLimit is { } limit)
        {
            Positive(limit, nameof(StaleCanaryLimit));
        }
        Positive(TraceFlushInterval, nameof(TraceFlushInterval));
        if (MonitorWindow <= TimeSpan.Zero || MonitorWindow > Glidepath.Monitoring.DriftPolicy.MaxWindow || MonitorWindow.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new BadInputException($"serving option {nameof(MonitorWindow)} is {MonitorWindow}; expected whole minutes, at most one day");
        }

        Positive(StoreBusyLimit, nameof(StoreBusyLimit));
        if (ProviderQueueWait < TimeSpan.Zero)
        {
            throw new BadInputException($"serving option {nameof(ProviderQueueWait)} is {ProviderQueueWait}; expected zero or more");
        }

        if (ShadowQueueCapacity < 1)
        {
            throw new BadInputException($"serving option {nameof(ShadowQueueCapacity)} is {ShadowQueueCapacity}; expected at least 1");
        }

        if (KeyMaxInFlight is < 1)
        {
            throw new BadInputException($"serving option {nameof(KeyMaxInFlight)} is {KeyMaxInFlight}; expected at least 1, or null for half of the providers' slots");
        }

        if (TraceCaptureBudgetBytes < 0)
        {
            throw new BadInputException($"serving option {nameof(TraceCaptureBudgetBytes)} is {TraceCaptureBudgetBytes}; expected zero (capture nothing while traces wait) or more");
        }

        if (TraceQueueCapacity < 1 || TraceBatchSize < 1)
        {
            throw new BadInputException($"serving options {nameof(TraceQueueCapacity)} ({TraceQueueCapacity}) and {nameof(TraceBatchSize)} ({TraceBatchSize}) must be at least 1");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new BadInputException($"serving option {name} is {value}; expected a positive duration");
        }
    }
}
