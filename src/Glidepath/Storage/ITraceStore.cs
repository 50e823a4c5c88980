using Glidepath.Traces;

namespace Glidepath.Storage;

/// <summary>
/// Traces, their per-arm aggregates and user feedback. Written in batches by the gateway's background writer,
/// read by <c>traces list/show</c>, the canary judge and the checklist.
/// </summary>
public interface ITraceStore
{
    /// <summary>Inserts the traces and adds their aggregates in one transaction (a trace id seen again is ignored).</summary>
    Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken);

    Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: deletes at most <paramref name="limit"/> of <paramref name="app"/>'s oldest traces started before
    /// <paramref name="before"/>, with their feedback, in one short transaction, and returns how many. The per-minute
    /// aggregates the judge reads are kept. Called in a loop of small batches so writers never wait long.
    /// </summary>
    Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Retention's clock check: the store's own time (a database server's clock, or null when the store has none of its
    /// own) and the start of <paramref name="app"/>'s newest trace (null when it has none).
    /// </summary>
    Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken);

    Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Stores feedback, replacing any earlier vote on the trace (one vote per trace); false (nothing stored) when no trace
    /// has that id (in <see cref="FeedbackRecord.Environment"/> when set), or the trace was made with a key other than
    /// <see cref="FeedbackRecord.KeyId"/> (only the caller who made a request may rate it).
    /// </summary>
    Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken);

    /// <summary>The model cost of each key's requests that started at or after <paramref name="since"/> in one environment, by key id.</summary>
    Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// The requests and errors (<see cref="TraceRecord.IsError"/>) of <paramref name="releaseId"/> on <paramref name="arm"/>
    /// that started at or after <paramref name="since"/> in one environment, per caller key and subject (a key's requests
    /// without a subject in one row, subject null); requests without a key, and those the gateway refused as the caller's
    /// mistake (<see cref="TraceAggregator.IsRefusal"/>, not counted by the judge either), are left out. Read by the per-key error guard of
    /// a rollout step (<see cref="Rollouts.KeyHarm"/>).
    /// </summary>
    Task<IReadOnlyList<KeySubjectErrors>> ErrorsByKeyAsync(string app, string environment, string releaseId, string arm, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Per (release, arm) sums over requests that started in [since, until) in one environment.</summary>
    Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken);
}
