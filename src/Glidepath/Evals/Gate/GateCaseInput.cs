using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>One case's trials on each side, as the gate reads them.</summary>
public sealed record GateCaseInput(string CaseId, IReadOnlyList<TrialResult> Baseline, IReadOnlyList<TrialResult> Candidate)
{
    public IReadOnlyList<string> Tags { get; init; } = [];
}
