using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>A decided gate: the run's results, the report (with the decision) and the verdict as stored.</summary>
public sealed record GateOutcome(GateStart Start, IReadOnlyList<TrialResult> Results, GateReport Report, GateVerdictRecord Verdict)
{
    public GateResult Result => Report.Decision.Result;
}
