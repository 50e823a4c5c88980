using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Shadow;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// Issue 20's comparison: the same regressions on the same simulated traffic (inputs that differ, both releases
/// feeling it: <see cref="CorrelatedTraffic"/>), judged by the paired shadow judge on pairs and by the unpaired
/// canary judge on a 50/50 split. Reports how often each judges harm and how many requests it took.
/// </summary>
public static class ShadowSuite
{
    /// <summary>The plan both judges read: the same tolerances and confidence.</summary>
    public static readonly RolloutPlan Plan = new()
    {
        MinRequests = 200,
        MinSubjects = 20,
        Confidence = 0.95,
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.02 },
            ["latency"] = new() { MaxRatio = 1.2 },
            ["cost_per_call"] = new() { MaxRatio = 1.2 },
            ["online_score"] = new() { MaxDrop = 0.03 },
        },
    };

    public static (string Key, string What, CorrelatedTraffic.Scenario Scenario)[] Scenarios() =>
    [
        ("aa", "A/A: identical candidate", new()),
        ("aa-users", "A/A, 40 users (Zipf 0.8) who each gain or lose (sd 0.05), zero on average", new(Subjects: 40, SubjectSkew: 0.8, SubjectEffectSd: 0.05)),
        ("q-05", "quality −0.05 (tolerance 0.03)", new(ScoreShift: -0.05)),
        ("q-10", "quality −0.10", new(ScoreShift: -0.10)),
        ("lat-13", "latency ×1.3 (tolerance ×1.2)", new(LatencyRatio: 1.3)),
        ("cost-13", "cost ×1.3 (tolerance ×1.2)", new(CostRatio: 1.3)),
        ("err-5", "errors 5% vs 1% (tolerance +2 points)", new(CandidateErrorRate: 0.05)),
        ("q-05-r5", "quality −0.05, inputs correlated 0.5 only", new(InputCorrelation: 0.5, ScoreShift: -0.05)),
    ];

    public static int Report(int runs, int seed, int horizon)
    {
        var watch = Stopwatch.StartNew();
        var paired = new PairedJudge(PairedJudgePolicy.From(Plan, pairwiseMaxDrop: null));
        var canary = new Judge(JudgePolicy.From(Plan));
        Console.WriteLine($"# Paired shadow judge vs unpaired canary judge: {runs} runs per scenario, seed {seed}, horizon {horizon} requests, looking after every request");
        Console.WriteLine();
        Console.WriteLine("| scenario | paired: harm | paired: median / p90 pairs to harm | canary 50/50: harm | canary: median / p90 requests to harm |");
        Console.WriteLine("|---|---|---|---|---|");
        var index = 0;
        foreach (var (key, what, scenario) in Scenarios())
        {
            var p = new List<long>();
            var u = new List<long>();
            int pHarm = 0, uHarm = 0;
            for (var r = 0; r < runs; r++)
            {
                var runSeed = seed + (index * 100_000) + r;
                var (po, pn) = RunPaired(paired, new CorrelatedTraffic(runSeed, scenario), horizon);
                var (uo, un) = RunCanary(canary, new CorrelatedTraffic(runSeed, scenario), horizon);
                if (po)
                {
                    pHarm++;
                    p.Add(pn);
                }

                if (uo)
                {
                    uHarm++;
                    u.Add(un);
                }
            }

            Console.WriteLine($"| {key}: {what} | {Share(pHarm, runs)} | {Quantiles(p)} | {Share(uHarm, runs)} | {Quantiles(u)} |");
            index++;
        }

        Console.WriteLine();
        Console.WriteLine($"A pair is one caller request plus one shadow call: the paired judge's model calls are twice its pairs. ({watch.Elapsed.TotalSeconds:0.0} s)");
        return 0;
    }

    /// <summary>True and the pairs when the paired judge said harm within the horizon.</summary>
    public static (bool Harm, long Pairs) RunPaired(PairedJudge judge, CorrelatedTraffic traffic, int horizon)
    {
        var sample = new PairedSample();
        for (var i = 1; i <= horizon; i++)
        {
            sample.Add(traffic.NextPair());
            if (judge.Classify(sample) == PairedOutcome.Harm)
            {
                return (true, i);
            }
        }

        return (false, horizon);
    }

    /// <summary>True and the requests (both arms) when the canary judge rolled back within the horizon, alternating arms.</summary>
    public static (bool Harm, long Requests) RunCanary(Judge judge, CorrelatedTraffic traffic, int horizon)
    {
        ArmSample canary = default, stable = default;
        for (var i = 1; i <= horizon; i++)
        {
            if (i % 2 == 0)
            {
                canary = traffic.NextRequest(canary, candidate: true);
            }
            else
            {
                stable = traffic.NextRequest(stable, candidate: false);
            }

            if (judge.Classify(canary, stable, TimeSpan.Zero) == JudgeOutcome.RollBack)
            {
                return (true, i);
            }
        }

        return (false, horizon);
    }

    private static string Share(int k, int n) => $"{k}/{n} ({100.0 * k / n:0.#}%)";

    private static string Quantiles(List<long> xs)
    {
        if (xs.Count == 0)
        {
            return "–";
        }

        xs.Sort();
        return $"{xs[xs.Count / 2]} / {xs[Math.Min(xs.Count - 1, (int)(xs.Count * 0.9))]}";
    }
}
