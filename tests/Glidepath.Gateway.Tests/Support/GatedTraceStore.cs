using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>A trace store whose batch writes wait for <see cref="Open"/>: a stalled store, without timing anything.</summary>
internal sealed class GatedTraceStore(ITraceStore inner) : Glidepath.Testing.ForwardingTraceStore(inner)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public override async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        await Inner.WriteBatchAsync(traces, cancellationToken);
    }
}
