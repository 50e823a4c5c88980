using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// cost_per_call under a heavy-tailed cost (Pareto α 1.5: finite mean, infinite variance), the outside trial's
/// scenario (stats2, 2026-12-05): a canary costing exactly ×1.15, at the tolerance, must be declared safe in at most
/// α/2 of runs at any look. Per-request routing, 25% canary, the trial's seven-metric plan (α = 0.05/7 per metric),
/// a look every 10 canary calls up to 1,000 (the false "safe" verdicts came at 156–563 calls). Fixed seed.
/// </summary>
public sealed class JudgeHeavyTailCostTests
{
    private const int Runs = 2000;

    private static readonly JudgePolicy Seven = JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.01 },
            ["latency"] = new() { MaxRatio = 1.25 },
            ["latency_p95"] = new() { MaxIncrease = 0.02 },
            ["latency_p99"] = new() { MaxIncrease = 0.005 },
            ["cost_per_call"] = new() { MaxRatio = 1.15 },
            ["online_score"] = new() { MaxDrop = 0.03 },
            ["feedback"] = new() { MaxDrop = 0.05 },
        },
    });

    private static readonly MetricRule Cost = Seven.Rules.Single(r => r.Name == "cost_per_call");

    private static readonly Judge Judge = new(Seven with { Rules = [Cost] });

    [Fact]
    public void Assess_ParetoCostCanaryExactlyAtTolerance_DeclaredSafeInAtMostHalfAlphaOfRuns()
    {
        var (safe, _) = Simulate(canaryFactor: 1.15, seed: 5);

        // α/2 = 0.357%: 7.1 of 2,000. With the canary's own variance on the safe side: 17 of 2,000 (0.85%); with the
        // stable arm's relative spread as its floor: 0.
        Assert.True(safe <= Seven.AlphaPerMetric / 2 * Runs, $"declared safe at the tolerance in {safe} of {Runs} runs (α/2 = {Seven.AlphaPerMetric / 2 * Runs:0.0})");
    }

    [Fact]
    public void Assess_ParetoCostAa_HarmNeverDeclared()
    {
        var (_, harm) = Simulate(canaryFactor: 1.0, seed: 6);

        Assert.Equal(0, harm);
    }

    /// <summary>Runs in which cost_per_call was ever declared safe, and ever harm, at a look every 10 canary calls.</summary>
    private static (int Safe, int Harm) Simulate(double canaryFactor, int seed)
    {
        var random = new Random(seed);
        int safe = 0, harm = 0;
        for (var run = 0; run < Runs; run++)
        {
            ArmSample canary = default, stable = default;
            bool wasSafe = false, wasHarm = false;
            while (canary.Requests < 1000)
            {
                var isCanary = random.NextDouble() < 0.25;
                var cost = 0.002 * Math.Pow(1 - random.NextDouble(), -1 / 1.5) * (isCanary ? canaryFactor : 1);
                var arm = isCanary ? canary : stable;
                arm = arm with
                {
                    Requests = arm.Requests + 1,
                    LatencyCount = arm.LatencyCount + 1,
                    CostSum = arm.CostSum + cost,
                    CostSquares = arm.CostSquares + (cost * cost),
                };
                if (!isCanary)
                {
                    stable = arm;
                    continue;
                }

                canary = arm;
                if (canary.Requests % 10 == 0)
                {
                    var verdict = Judge.Assess(Cost, canary, stable).Verdict;
                    wasSafe |= verdict == MetricVerdict.Safe;
                    wasHarm |= verdict == MetricVerdict.Harm;
                }
            }

            safe += wasSafe ? 1 : 0;
            harm += wasHarm ? 1 : 0;
        }

        return (safe, harm);
    }
}
