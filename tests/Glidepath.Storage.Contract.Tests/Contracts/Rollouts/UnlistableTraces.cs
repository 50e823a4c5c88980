using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>A trace store whose listing of traces fails while its per-arm sums are read as usual.</summary>
internal sealed class UnlistableTraces(ITraceStore inner) : Glidepath.Testing.ForwardingTraceStore(inner)
{
    public override Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the trace list is unreadable");
}
