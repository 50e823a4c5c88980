using System.Threading.Channels;
using Glidepath.Traces;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The bounded queue between the request path and the batch writer. <see cref="TryEnqueue"/> never waits:
/// when the queue is full the trace is dropped and counted. Captured content is bounded in bytes as well as traces are in
/// number: a trace whose content the gateway's <see cref="Budget"/> cannot take is queued without it (<see cref="TraceRecord.CaptureDropped"/>).
/// </summary>
public sealed class TraceQueue
{
    private readonly Channel<TraceRecord> _channel;
    private readonly RecentTraces _recent = new(4096);
    private readonly string _captureDropped;
    private readonly long[] _droppedBy = new long[4]; // by TraceDrop
    private long _dropped;
    private long _unwritten;
    private long _captureDroppedCount;

    internal TraceQueue(int capacity, long captureBudgetBytes = ServingOptions.DefaultTraceCaptureBudgetBytes)
    {
        Budget = new CaptureBudget(captureBudgetBytes);
        _captureDropped = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"gateway over {captureBudgetBytes / (1024.0 * 1024.0):0.##} MiB of captured content not yet stored");
        _channel = Channel.CreateBounded<TraceRecord>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    internal ChannelReader<TraceRecord> Reader => _channel.Reader;

    /// <summary>Traces dropped so far (queue full or store failing).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Traces dropped so far for <paramref name="reason"/> (part of <see cref="Dropped"/>).</summary>
    internal long DroppedFor(TraceDrop reason) => Interlocked.Read(ref _droppedBy[(int)reason]);

    /// <summary>Traces in the queue, not yet taken by the batch writer (see <see cref="Unwritten"/> for the whole backlog).</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>
    /// Traces accepted and not yet written or dropped: the queue plus the batch the writer holds, which it keeps and
    /// retries while the store is unreachable (up to <c>TraceBatchSize</c> beside the queue's capacity). What
    /// <c>/readyz</c>'s <c>traces_queued</c> reports: an alert on it sees an outage's backlog from the first trace.
    /// </summary>
    public long Unwritten => Interlocked.Read(ref _unwritten);

    /// <summary>
    /// The one bound on captured bytes the gateway holds before they are stored: this queue and the writer's batch, the
    /// online scorer's queue and the shadow mirror's queue all charge it.
    /// </summary>
    public CaptureBudget Budget { get; }

    /// <summary>Most bytes of captured content (text at two bytes a character, as held in memory) held at once (<see cref="Budget"/>).</summary>
    public long CaptureBudgetBytes => Budget.LimitBytes;

    /// <summary>Bytes of captured content held now, here and in the online-scoring and shadow queues (<see cref="Budget"/>).</summary>
    public long CapturedBytes => Budget.HeldBytes;

    /// <summary>Traces queued without their captured content because the <see cref="Budget"/> could not take it.</summary>
    public long CaptureDropped => Interlocked.Read(ref _captureDroppedCount);

    /// <summary>A call was given this trace id; its trace comes later (<see cref="TryEnqueue"/>).</summary>
    internal void Issue(string traceId) => _recent.Add(traceId);

    internal bool TryEnqueue(TraceRecord trace)
    {
        _recent.Add(trace.TraceId);
        // Counted before the write: the writer may take it and settle it before TryWrite returns.
        Interlocked.Increment(ref _unwritten);
        var captured = CapturedSize.Of(trace);
        if (!Budget.TryCharge(captured))
        {
            // A store outage must not turn captured content into the gateway's memory (12,000 traces of 4 MiB requests):
            // the trace keeps everything the judge and the aggregates read, and says its content was dropped.
            Interlocked.Increment(ref _captureDroppedCount);
            trace = trace with { InputJson = null, OutputText = null, CaptureDropped = _captureDropped };
            captured = 0;
        }

        if (_channel.Writer.TryWrite(trace))
        {
            return true;
        }

        Interlocked.Decrement(ref _unwritten);
        Budget.Release(captured);

        CountDropped(1, TraceDrop.QueueFull);
        _recent.Settle([trace.TraceId]);
        return false;
    }

    internal void CountDropped(int count, TraceDrop reason)
    {
        Interlocked.Add(ref _droppedBy[(int)reason], count);
        Interlocked.Add(ref _dropped, count);
    }

    /// <summary>No trace will come for this id.</summary>
    internal void Settle(string traceId) => _recent.Settle([traceId]);

    /// <summary>The batch writer is done with these traces (written to the store, or dropped).</summary>
    internal void Settled(IReadOnlyList<TraceRecord> traces)
    {
        Interlocked.Add(ref _unwritten, -traces.Count);
        long captured = 0;
        for (var i = 0; i < traces.Count; i++)
        {
            captured += CapturedSize.Of(traces[i]);
        }

        Budget.Release(captured);

        _recent.Settle(traces.Select(t => t.TraceId));
    }

    /// <summary>True when this gateway issued the trace id recently (it may still be on its way to the store).</summary>
    public bool IssuedRecently(string traceId) => _recent.Contains(traceId);

    /// <summary>Completes once the batch writer has written or dropped <paramref name="traceId"/> (at once for one not issued recently).</summary>
    public Task WhenSettledAsync(string traceId, CancellationToken cancellationToken) => _recent.WhenSettledAsync(traceId, cancellationToken);

    /// <summary>Takes no more traces: the batch writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
