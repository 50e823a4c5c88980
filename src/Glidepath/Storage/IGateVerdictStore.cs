using Glidepath.Evals;

namespace Glidepath.Storage;

/// <summary>Gate verdicts, written by <c>glidepath gate</c>, read by promote, rollout start and the checklist.</summary>
public interface IGateVerdictStore
{
    Task SaveAsync(GateVerdictRecord verdict, CancellationToken cancellationToken);

    /// <summary>The most recent verdict for this candidate against this baseline, or null.</summary>
    Task<GateVerdictRecord?> LatestAsync(string app, string candidateReleaseId, string baselineReleaseId, CancellationToken cancellationToken);

    /// <summary>All verdicts for a candidate, newest first.</summary>
    Task<IReadOnlyList<GateVerdictRecord>> ListAsync(string app, string candidateReleaseId, CancellationToken cancellationToken);
}
