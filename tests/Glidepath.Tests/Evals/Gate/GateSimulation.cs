using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>Builds seeded gate inputs: every case passes at a given rate on each side.</summary>
internal static class GateSimulation
{
    public static List<GateCaseInput> Cases(Random random, int trials, params (double Baseline, double Candidate)[] rates) =>
        rates.Select((r, i) => new GateCaseInput($"case-{i}", Trials(random, "b", $"case-{i}", trials, r.Baseline), Trials(random, "c", $"case-{i}", trials, r.Candidate))).ToList();

    public static List<TrialResult> Trials(Random random, string release, string caseId, int trials, double passRate) =>
        Enumerable.Range(0, trials).Select(t => Trial(release, caseId, t, random.NextDouble() < passRate)).ToList();

    public static TrialResult Trial(string release, string caseId, int trial, bool pass, TrialStatus? status = null) => new()
    {
        RunId = "run",
        ReleaseId = release,
        CaseId = caseId,
        Trial = trial,
        Status = status ?? (pass ? TrialStatus.Pass : TrialStatus.Fail),
        Score = status == TrialStatus.Error ? null : pass ? 1 : 0,
        Output = pass ? "good answer" : "bad answer",
        Error = status == TrialStatus.Error ? "provider answered 500" : null,
    };
}
