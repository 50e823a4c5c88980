using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;

namespace Glidepath.Evals.Gate;

/// <summary>
/// A decided gate: each release's summary over the run (in work order; none when there was no case), the report (with
/// the decision) and the verdict as stored (null for a run narrower than the manifest's gate: see <see cref="GateScope"/>). It does not hold the results: a gate of any size takes the same memory per case.
/// </summary>
public sealed record GateOutcome(GateStart Start, IReadOnlyList<RunSummary> Summaries, GateReport Report, GateVerdictRecord? Verdict)
{
    public GateResult Result => Report.Decision.Result;
}
