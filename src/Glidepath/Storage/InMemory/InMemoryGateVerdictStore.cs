using Glidepath.Errors;
using Glidepath.Evals;

namespace Glidepath.Storage.InMemory;

/// <summary>Gate verdicts, append-only: a newer verdict supersedes an older one by time, never by overwriting it.</summary>
internal sealed class InMemoryGateVerdictStore(string location) : IGateVerdictStore
{
    // What the SQLite schema's CHECK allows.
    private static readonly HashSet<string> Results = new(StringComparer.Ordinal) { "pass", "blocked", "error" };

    private readonly Lock _sync = new();

    // In the order they were saved: the tie-break between verdicts of the same time, newest saved first.
    private readonly List<GateVerdictRecord> _verdicts = [];

    public Task SaveAsync(GateVerdictRecord verdict, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(verdict);
            if (!Results.Contains(verdict.Result))
            {
                throw new OperationalException($"cannot save gate verdict {verdict.Id} in the store at {location}: its result must be pass, blocked or error, not '{verdict.Result}'; nothing was written");
            }

            lock (_sync)
            {
                if (_verdicts.Exists(v => v.Id == verdict.Id))
                {
                    throw new OperationalException($"cannot save gate verdict {verdict.Id} in the store at {location}: a verdict with this id exists; nothing was written");
                }

                _verdicts.Add(verdict with { CreatedAt = verdict.CreatedAt.ToUniversalTime() });
            }
        }, cancellationToken);

    public Task<GateVerdictRecord?> LatestAsync(string app, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken) =>
        Synchronously.Run(() => NewestFirst(v => v.App == app && v.CandidateReleaseId == candidateReleaseId && v.BaselineReleaseId == baselineReleaseId).FirstOrDefault(), cancellationToken);

    public Task<IReadOnlyList<GateVerdictRecord>> ListAsync(string app, string candidateReleaseId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<GateVerdictRecord>>(() => NewestFirst(v => v.App == app && v.CandidateReleaseId == candidateReleaseId), cancellationToken);

    private List<GateVerdictRecord> NewestFirst(Func<GateVerdictRecord, bool> match)
    {
        lock (_sync)
        {
            // Walking the saved order backwards and sorting stably puts the later save first among equal times.
            return [.. Enumerable.Reverse(_verdicts).Where(match).OrderByDescending(v => v.CreatedAt)];
        }
    }
}
