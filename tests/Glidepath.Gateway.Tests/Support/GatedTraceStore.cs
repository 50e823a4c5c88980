using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>A trace store whose batch writes wait for <see cref="Open"/>: a stalled store, without timing anything.</summary>
internal sealed class GatedTraceStore(ITraceStore inner) : ITraceStore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        await _gate.Task.WaitAsync(cancellationToken);
        await inner.WriteBatchAsync(traces, cancellationToken);
    }

    public Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) => inner.GetAsync(traceId, cancellationToken);

    public Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken) => inner.DeleteBeforeAsync(app, before, limit, cancellationToken);

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken) => inner.AddFeedbackAsync(feedback, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken) => inner.FeedbackAsync(traceId, cancellationToken);

    public Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.CostByKeyAsync(app, environment, since, cancellationToken);

    public Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        inner.ArmStatsAsync(app, environment, since, until, cancellationToken);
}
