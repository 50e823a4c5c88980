using Glidepath.Errors;
using Glidepath.Evals.Runs;

namespace Glidepath.Storage.InMemory;

/// <summary>Eval runs and their results; a result already stored for the same key is kept (first write wins), unless it is an error.</summary>
internal sealed class InMemoryEvalRunStore(string location) : IEvalRunStore
{
    private readonly Lock _sync = new();

    // In creation order: among runs created at the same time, the later one counts as newer.
    private readonly List<EvalRun> _runs = [];
    private readonly Dictionary<string, List<TrialResult>> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<TrialKey>> _completed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EvalRunLease> _leases = new(StringComparer.Ordinal);

    public Task CreateAsync(EvalRun run, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(run);
            lock (_sync)
            {
                if (_runs.Exists(r => r.Id == run.Id))
                {
                    throw new OperationalException($"cannot create eval run {run.Id} in the store at {location}: a run with this id exists; nothing was written");
                }

                _runs.Add(run with { Tags = [.. run.Tags], JudgeSpend = run.JudgeSpend is null ? null : [.. run.JudgeSpend] });
                _results[run.Id] = [];
                _completed[run.Id] = [];
            }
        }, cancellationToken);

    public Task<EvalRun?> GetAsync(string app, string idOrPrefix, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var matches = _runs.FindAll(r => r.App == app && r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal));
                return matches.Find(r => r.Id == idOrPrefix) ?? (matches.Count == 1 ? matches[0] : null);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<EvalRun>> ListAsync(string app, int limit, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<EvalRun>>(() =>
        {
            lock (_sync)
            {
                var newest = Enumerable.Reverse(_runs).Where(r => r.App == app).OrderByDescending(r => r.CreatedAt);

                // As SQL's LIMIT: a negative limit means no limit.
                return limit < 0 ? [.. newest] : [.. newest.Take(limit)];
            }
        }, cancellationToken);

    public Task SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(results);
            lock (_sync)
            {
                // All or nothing: a result of an unknown run refuses the whole batch before anything is kept.
                if (results.FirstOrDefault(r => !_results.ContainsKey(r.RunId)) is { } orphan)
                {
                    throw new OperationalException($"cannot save results in the store at {location}: there is no eval run {orphan.RunId}; nothing was written");
                }

                foreach (var result in results)
                {
                    var copy = result with { ToolCalls = [.. result.ToolCalls], Scores = [.. result.Scores] };
                    var stored = _results[result.RunId];
                    if (_completed[result.RunId].Add(result.Key))
                    {
                        stored.Add(copy);
                    }
                    else if (stored.FindIndex(r => r.Key == result.Key) is var at && stored[at].Status == Evals.Scorers.TrialStatus.Error)
                    {
                        stored[at] = copy; // an error is replaced by the trial asked again, in its place
                    }
                }
            }
        }, cancellationToken);

    public Task<IReadOnlyList<TrialResult>> ResultsAsync(string runId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<TrialResult>>(() =>
        {
            lock (_sync)
            {
                return _results.TryGetValue(runId, out var results) ? [.. results] : [];
            }
        }, cancellationToken);

    public async IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, bool notPassedOnly, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var results = await ResultsAsync(runId, cancellationToken).ConfigureAwait(false);
        IEnumerable<TrialResult> selected = notPassedOnly
            ? results.Where(r => r.Status != Evals.Scorers.TrialStatus.Pass).OrderBy(r => r.Status == Evals.Scorers.TrialStatus.Error).ThenBy(r => r.CaseId, StringComparer.Ordinal)
            : results;
        foreach (var result in selected)
        {
            yield return result;
        }
    }

    public Task<IReadOnlySet<TrialKey>> CompletedAsync(string runId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlySet<TrialKey>>(() =>
        {
            lock (_sync)
            {
                return _results.TryGetValue(runId, out var results)
                    ? results.Where(r => r.Status != Evals.Scorers.TrialStatus.Error).Select(r => r.Key).ToHashSet()
                    : [];
            }
        }, cancellationToken);

    public Task AddJudgeSpendAsync(string runId, IReadOnlyList<JudgeSpend> spend, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(spend);
            lock (_sync)
            {
                var i = _runs.FindIndex(r => r.Id == runId);
                if (i < 0)
                {
                    throw new OperationalException($"cannot add judge spend in the store at {location}: there is no eval run {runId}; nothing was written");
                }

                if (spend.Count > 0)
                {
                    _runs[i] = _runs[i] with { JudgeSpend = JudgeSpend.Merge(_runs[i].JudgeSpend, spend) };
                }
            }
        }, cancellationToken);

    public Task<EvalRunLease?> TryLeaseAsync(string runId, EvalRunLease lease, DateTimeOffset now, string? takeOverFrom, CancellationToken cancellationToken) =>
        Synchronously.Run<EvalRunLease?>(() =>
        {
            ArgumentNullException.ThrowIfNull(lease);
            lock (_sync)
            {
                if (!_runs.Exists(r => r.Id == runId))
                {
                    throw new OperationalException($"cannot lease eval run {runId} in the store at {location}: there is no such run; nothing was written");
                }

                if (!_leases.TryGetValue(runId, out var standing))
                {
                    _leases[runId] = lease;
                    return null;
                }

                if (standing.Holder == lease.Holder)
                {
                    _leases[runId] = lease with { Since = standing.Since };
                    return null;
                }

                if (standing.ExpiresAt <= now || standing.Holder == takeOverFrom)
                {
                    _leases[runId] = lease;
                    return null;
                }

                return standing;
            }
        }, cancellationToken);

    public Task<EvalRunLease?> LeaseAsync(string runId, CancellationToken cancellationToken) =>
        Synchronously.Run<EvalRunLease?>(() =>
        {
            lock (_sync)
            {
                return _leases.GetValueOrDefault(runId);
            }
        }, cancellationToken);

    public Task ReleaseLeaseAsync(string runId, string holder, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                if (_leases.TryGetValue(runId, out var standing) && standing.Holder == holder)
                {
                    _leases.Remove(runId);
                }
            }
        }, cancellationToken);

    public Task SetStatusAsync(string runId, EvalRunStatus status, DateTimeOffset? finishedAt, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var i = _runs.FindIndex(r => r.Id == runId);
                if (i >= 0)
                {
                    _runs[i] = _runs[i] with { Status = status, FinishedAt = finishedAt };
                }
            }
        }, cancellationToken);
}
