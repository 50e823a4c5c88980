using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Bench.GateSim;

/// <summary>A synthetic suite: each case's true pass rate on the baseline and on the candidate.</summary>
internal sealed record Suite(string Name, (double Baseline, double Candidate)[] Rates)
{
    /// <summary>One seeded run of the suite: every case × trial drawn on each side, scored 1 or 0.</summary>
    public List<GateCaseInput> Draw(Random random, int trials) =>
        Rates.Select((r, i) => new GateCaseInput($"case-{i}", Trials(random, "b", i, trials, r.Baseline), Trials(random, "c", i, trials, r.Candidate))).ToList();

    private static List<TrialResult> Trials(Random random, string release, int index, int trials, double rate)
    {
        var list = new List<TrialResult>(trials);
        for (var t = 0; t < trials; t++)
        {
            var pass = random.NextDouble() < rate;
            list.Add(new TrialResult
            {
                RunId = "sim",
                ReleaseId = release,
                CaseId = $"case-{index}",
                Trial = t,
                Status = pass ? TrialStatus.Pass : TrialStatus.Fail,
                Score = pass ? 1 : 0,
            });
        }

        return list;
    }
}
