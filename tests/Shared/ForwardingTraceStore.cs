using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Testing;

/// <summary>
/// A trace store that passes every call to <see cref="Inner"/>: the base of the tests' stores that change one thing
/// (a write that waits, fails or is busy; statistics that cannot be read) and leave the rest to the real store.
/// </summary>
internal abstract class ForwardingTraceStore(ITraceStore inner) : ITraceStore
{
    protected ITraceStore Inner => inner;

    public virtual Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken) => inner.WriteBatchAsync(traces, cancellationToken);

    public Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) => inner.GetAsync(traceId, cancellationToken);

    public Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken) => inner.DeleteBeforeAsync(app, before, limit, cancellationToken);

    public virtual Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken) => inner.ClockAsync(app, cancellationToken);

    public virtual Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken) => inner.AddFeedbackAsync(feedback, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken) => inner.FeedbackAsync(traceId, cancellationToken);

    public Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.CostByKeyAsync(app, environment, since, cancellationToken);

    public virtual Task<IReadOnlyList<KeySubjectErrors>> ErrorsByKeyAsync(string app, string environment, string releaseId, string arm, DateTimeOffset since, CancellationToken cancellationToken) =>
        inner.ErrorsByKeyAsync(app, environment, releaseId, arm, since, cancellationToken);

    public virtual Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        inner.ArmStatsAsync(app, environment, since, until, cancellationToken);
}
