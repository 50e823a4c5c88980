using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>A finished eval run: every case × trial result and the concurrency that applied.</summary>
public sealed record EvalOutcome(EvalStart Start, IReadOnlyList<TrialResult> Results, EvalConcurrency Concurrency)
{
    public RunSummary Summary => RunSummary.Of(Results, [Start.Release.Id])[0];

    /// <summary>The results that did not pass: failures, then errors, each by case id.</summary>
    public IReadOnlyList<TrialResult> NotPassed => Results.Where(r => r.Status != TrialStatus.Pass)
        .OrderBy(r => r.Status).ThenBy(r => r.CaseId, StringComparer.Ordinal).ToList();

    /// <summary>False when any trial errored (provider, scorer or judge): an error is never a pass.</summary>
    public bool AllScored => Results.All(r => r.Status != TrialStatus.Error);
}
