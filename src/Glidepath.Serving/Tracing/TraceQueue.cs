using System.Threading.Channels;
using Glidepath.Traces;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The bounded queue between the request path and the batch writer. <see cref="TryEnqueue"/> never waits:
/// when the queue is full the trace is dropped and counted.
/// </summary>
public sealed class TraceQueue
{
    private readonly Channel<TraceRecord> _channel;
    private readonly RecentTraces _recent = new(4096);
    private long _dropped;

    internal TraceQueue(int capacity)
    {
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

    /// <summary>Traces waiting for the batch writer.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>A call was given this trace id; its trace comes later (<see cref="TryEnqueue"/>).</summary>
    internal void Issue(string traceId) => _recent.Add(traceId);

    internal bool TryEnqueue(TraceRecord trace)
    {
        _recent.Add(trace.TraceId);
        if (_channel.Writer.TryWrite(trace))
        {
            return true;
        }

        CountDropped(1);
        _recent.Settle([trace.TraceId]);
        return false;
    }

    internal void CountDropped(int count)
    {
        Interlocked.Add(ref _dropped, count);
    }

    /// <summary>No trace will come for this id.</summary>
    internal void Settle(string traceId) => _recent.Settle([traceId]);

    /// <summary>The batch writer is done with these traces (written to the store, or dropped).</summary>
    internal void Settled(IReadOnlyList<TraceRecord> traces) => _recent.Settle(traces.Select(t => t.TraceId));

    /// <summary>True when this gateway issued the trace id recently (it may still be on its way to the store).</summary>
    public bool IssuedRecently(string traceId) => _recent.Contains(traceId);

    /// <summary>Completes once the batch writer has written or dropped <paramref name="traceId"/> (at once for one not issued recently).</summary>
    public Task WhenSettledAsync(string traceId, CancellationToken cancellationToken) => _recent.WhenSettledAsync(traceId, cancellationToken);

    /// <summary>Takes no more traces: the batch writer drains what is queued and stops.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
