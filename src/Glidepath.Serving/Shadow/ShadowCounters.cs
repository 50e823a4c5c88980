using System.Diagnostics.Metrics;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// What became of the requests a gateway sampled for its shadow, on <c>/metrics</c> as <c>glidepath_shadow_*</c>:
/// mirrored (the pair stored), dropped (with the reason: the queue or the gateway's capture budget was full, or the shadow
/// ended or the environment froze while the request waited in the queue, or the process stopped first, or the store could
/// not be asked for the shadow's spend or a claim), capped, or failed (a pair not stored).
/// </summary>
internal sealed class ShadowCounters : IDisposable
{
    /// <summary>The queue was full when the caller's answer completed.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The shadow was stopped (or replaced by another) while the request waited in the queue.</summary>
    public const string ShadowEnded = "shadow_ended";

    /// <summary>The environment was frozen while the request waited in the queue.</summary>
    public const string Frozen = "frozen";

    /// <summary>The gateway (or the app) stopped while the request waited in the queue or its candidate call was in flight.</summary>
    public const string Stopped = "stopped";

    /// <summary>Queuing it would have taken the gateway's capture budget over its limit (counted by the budget itself).</summary>
    public const string CaptureBudget = "capture_budget";

    /// <summary>
    /// The store could not be asked: the shadow's spend was never read, a claim on its caps failed, or the gateway has not
    /// renewed its claims for half their lease. Nothing is mirrored blind (until 2026-12-08 counted as failed, as if a
    /// pair had been lost).
    /// </summary>
    public const string StoreUnreachable = "store_unreachable";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Func<long> _captureBudget;
    private long _queueFull;
    private long _shadowEnded;
    private long _frozen;
    private long _stopped;
    private long _storeUnreachable;
    private long _mirrored;
    private long _capped;
    private long _failed;

    /// <param name="captureBudget">Reads the requests the capture budget kept out of the queue (<see cref="Tracing.CaptureBudget.ShadowSkipped"/>).</param>
    public ShadowCounters(IMeterFactory? meters, Func<long>? captureBudget = null)
    {
        _captureBudget = captureBudget ?? (() => 0);
        _ownsMeter = meters is null;
        _meter = meters?.Create(ServingTelemetry.Name) ?? new Meter(ServingTelemetry.Name);
        _meter.CreateObservableCounter("glidepath.shadow.mirrored", () => Mirrored, "{request}", "Stable requests answered by the shadow candidate and stored as pairs");
        _meter.CreateObservableCounter("glidepath.shadow.dropped", DroppedByReason, "{request}",
            "Sampled requests not mirrored: the shadow queue was full (reason queue_full) or the gateway's capture budget was (capture_budget), or the shadow ended (shadow_ended) or the environment froze (frozen) while they were queued, or the gateway stopped (stopped), or the store could not be asked for the shadow's spend or a claim on its caps (store_unreachable)");
        _meter.CreateObservableCounter("glidepath.shadow.capped", () => Capped, "{request}", "Sampled requests not mirrored because the shadow's cost or request cap was reached");
        _meter.CreateObservableCounter("glidepath.shadow.failed", () => Failed, "{request}", "Mirrored requests whose pair could not be stored (a write refused, or given up on)");
    }

    /// <summary>Dropped for any reason.</summary>
    public long Dropped => DroppedFor(QueueFull) + DroppedFor(ShadowEnded) + DroppedFor(Frozen) + DroppedFor(Stopped) + DroppedFor(CaptureBudget) + DroppedFor(StoreUnreachable);

    public long Mirrored => Interlocked.Read(ref _mirrored);
    public long Capped => Interlocked.Read(ref _capped);
    public long Failed => Interlocked.Read(ref _failed);

    public long DroppedFor(string reason) => reason == CaptureBudget ? _captureBudget() : Interlocked.Read(ref Counter(reason));

    public void Drop(string reason) => Interlocked.Increment(ref Counter(reason));

    public void Mirror(int count) => Interlocked.Add(ref _mirrored, count);

    public void Cap() => Interlocked.Increment(ref _capped);

    public void Fail(int count = 1) => Interlocked.Add(ref _failed, count);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private ref long Counter(string reason)
    {
        switch (reason)
        {
            case QueueFull:
                return ref _queueFull;
            case ShadowEnded:
                return ref _shadowEnded;
            case Frozen:
                return ref _frozen;
            case Stopped:
                return ref _stopped;
            case StoreUnreachable:
                return ref _storeUnreachable;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a reason a shadow request is dropped for");
        }
    }

    private IEnumerable<Measurement<long>> DroppedByReason() =>
    [
        new(DroppedFor(QueueFull), new KeyValuePair<string, object?>("reason", QueueFull)),
        new(DroppedFor(ShadowEnded), new KeyValuePair<string, object?>("reason", ShadowEnded)),
        new(DroppedFor(Frozen), new KeyValuePair<string, object?>("reason", Frozen)),
        new(DroppedFor(Stopped), new KeyValuePair<string, object?>("reason", Stopped)),
        new(DroppedFor(CaptureBudget), new KeyValuePair<string, object?>("reason", CaptureBudget)),
        new(DroppedFor(StoreUnreachable), new KeyValuePair<string, object?>("reason", StoreUnreachable)),
    ];
}
