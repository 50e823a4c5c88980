using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>A trace store whose arm statistics (what the judge reads) cannot be read; everything else reaches the real store.</summary>
internal sealed class UnreadableArmStats(ITraceStore inner) : ITraceStore
{
    public const string Error = "the trace aggregates are unreachable";

    public Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Error);

    public Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken) => inner.WriteBatchAsync(traces, cancellationToken);

    public Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) => inner.GetAsync(traceId, cancellationToken);

    public Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken) => inner.DeleteBeforeAsync(app, before, limit, cancellationToken);

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken) => inner.AddFeedbackAsync(feedback, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken) => inner.FeedbackAsync(traceId, cancellationToken);

    public Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.CostByKeyAsync(app, environment, since, cancellationToken);
}
