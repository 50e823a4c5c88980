using Glidepath.Traces;

namespace Glidepath.Storage.InMemory;

/// <summary>
/// Traces, their aggregate rows (per minute and subject group) and feedback. A trace id seen again is ignored; rows
/// are merged with <see cref="TraceAggregateDelta.Add"/> and read back through <see cref="ArmStatsBuilder"/>, the
/// same domain code the SQLite store uses.
/// </summary>
internal sealed class InMemoryTraceStore : ITraceStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, StoredTrace> _traces = new(StringComparer.Ordinal);
    private readonly Dictionary<(string App, string Environment, string ReleaseId, string Arm, DateTimeOffset Minute, int Group), TraceAggregateDelta> _aggregates = [];

    // Feedback per trace, each list in the order given.
    private readonly Dictionary<string, List<FeedbackRecord>> _feedback = new(StringComparer.Ordinal);

    public Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        Synchronously.Run<int>(() =>
        {
            lock (_sync)
            {
                var old = _traces.Values.Select(s => s.Record)
                    .Where(t => t.App == app && t.StartedAt < before)
                    .OrderBy(t => t.StartedAt).ThenBy(t => t.TraceId, StringComparer.Ordinal)
                    .Take(limit).Select(t => t.TraceId).ToList();
                foreach (var id in old)
                {
                    _traces.Remove(id);
                    _feedback.Remove(id);
                }

                return old.Count;
            }
        }, cancellationToken);

    public Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                DateTimeOffset? newest = null;
                foreach (var stored in _traces.Values)
                {
                    if (stored.Record.App == app && (newest is null || stored.Record.StartedAt > newest))
                    {
                        newest = stored.Record.StartedAt;
                    }
                }

                return new TraceClock(null, newest);
            }
        }, cancellationToken);

    public Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(traces);
            lock (_sync)
            {
                var fresh = new List<TraceRecord>(traces.Count);
                foreach (var trace in traces)
                {
                    if (_traces.TryAdd(trace.TraceId, new StoredTrace(trace with { StartedAt = trace.StartedAt.ToUniversalTime() }, SubjectGroups.Of(trace.SubjectHash, trace.TraceId))))
                    {
                        fresh.Add(trace);
                    }
                }

                foreach (var delta in TraceAggregator.Aggregate(fresh))
                {
                    var key = (delta.App, delta.Environment, delta.ReleaseId, delta.Arm, delta.Minute, delta.Group);
                    if (!_aggregates.TryGetValue(key, out var row))
                    {
                        row = delta.EmptyCopy();
                        _aggregates[key] = row;
                    }

                    row.Add(delta);
                }
            }
        }, cancellationToken);

    public Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _traces.TryGetValue(traceId, out var stored) ? stored.Record : null;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<TraceRecord>>(() =>
        {
            ArgumentNullException.ThrowIfNull(query);
            lock (_sync)
            {
                return
                [
                    .. _traces.Values.Select(s => s.Record).Where(t => Matches(t, query))
                        .OrderByDescending(t => t.StartedAt).ThenBy(t => t.TraceId, StringComparer.Ordinal)
                        .Take(Math.Max(1, query.Limit)),
                ];
            }
        }, cancellationToken);

    public Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(feedback);
            lock (_sync)
            {
                if (!_traces.TryGetValue(feedback.TraceId, out var trace) || (feedback.Environment is { } env && trace.Record.Environment != env)
                    || (trace.Record.KeyId is { } owner && owner != feedback.KeyId))
                {
                    return false;
                }

                if (!_feedback.TryGetValue(feedback.TraceId, out var list))
                {
                    list = [];
                    _feedback[feedback.TraceId] = list;
                }

                list.Clear(); // one vote per trace: the latest
                list.Add(feedback with { Time = feedback.Time.ToUniversalTime(), Environment = null });
                return true;
            }
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyDictionary<string, double>>(() =>
        {
            lock (_sync)
            {
                return _traces.Values.Select(s => s.Record)
                    .Where(t => t.KeyId is not null && t.App == app && t.Environment == environment && t.StartedAt >= since)
                    .GroupBy(t => t.KeyId!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.Sum(t => t.CostUsd), StringComparer.Ordinal);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<KeySubjectErrors>> ErrorsByKeyAsync(string app, string environment, string releaseId, string arm, DateTimeOffset since, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<KeySubjectErrors>>(() =>
        {
            lock (_sync)
            {
                return [.. _traces.Values.Select(s => s.Record)
                    .Where(t => t.KeyName is not null && t.App == app && t.Environment == environment && t.ReleaseId == releaseId && t.Arm == arm && t.StartedAt >= since && !TraceAggregator.IsRefusal(t))
                    .GroupBy(t => (Key: t.KeyName!, t.SubjectHash))
                    .Select(g => new KeySubjectErrors(g.Key.Key, g.Key.SubjectHash, g.LongCount(), g.LongCount(t => t.IsError)))];
            }
        }, cancellationToken);

    public Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<FeedbackRecord>>(() =>
        {
            lock (_sync)
            {
                return _feedback.TryGetValue(traceId, out var list) ? [.. list] : [];
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            var window = AggregateWindow.Of(since, until);
            var builder = new ArmStatsBuilder();
            lock (_sync)
            {
                foreach (var row in _aggregates.Values)
                {
                    if (row.App == app && row.Environment == environment && window.Contains(row.Minute))
                    {
                        builder.Add(row);
                    }
                }

                foreach (var (traceId, scores) in _feedback)
                {
                    var (trace, group) = _traces[traceId];
                    if (trace.App == app && trace.Environment == environment && window.Contains(trace.StartedAt))
                    {
                        foreach (var feedback in scores)
                        {
                            builder.AddFeedback(trace.ReleaseId, trace.Arm, group, feedback.Score);
                        }
                    }
                }
            }

            return builder.Build();
        }, cancellationToken);

    private bool Matches(TraceRecord t, TraceQuery q)
    {
        if (t.App != q.App
            || (q.Environment is { } env && t.Environment != env)
            || (q.ReleaseId is { } release && t.ReleaseId != release)
            || (q.Arm is { } arm && t.Arm != arm)
            || (q.KeyName is { } keyName && t.KeyName != keyName)
            || (q.Since is { } since && t.StartedAt < since)
            || (q.Until is { } until && t.StartedAt >= until)
            || (q.OlderThan is { } cursor && !cursor.IsBefore(t))
            || (q.IdPrefix is { } prefix && !t.TraceId.StartsWith(prefix, StringComparison.Ordinal))
            || (q.ScoredOnly && t.OnlinePassed is null)
            || (q.AnsweredOnly && t.IsError))
        {
            return false;
        }

        if (!q.ErrorsOnly && !q.CancelledOnly && !q.OnlineFailedOnly && !q.NegativeFeedbackOnly)
        {
            return true;
        }

        // Set together, the "went wrong" filters match a trace that went wrong in any of their ways.
        return (q.ErrorsOnly && t.IsError)
            || (q.CancelledOnly && t.IsCancelled)
            || (q.OnlineFailedOnly && t.OnlinePassed == false)
            || (q.NegativeFeedbackOnly && _feedback.TryGetValue(t.TraceId, out var list) && list.Exists(f => !FeedbackScore.IsPositive(f.Score)));
    }

    private readonly record struct StoredTrace(TraceRecord Record, int Group);
}
