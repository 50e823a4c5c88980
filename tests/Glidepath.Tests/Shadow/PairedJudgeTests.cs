using Glidepath.Bench.CanarySim;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Shadow;

namespace Glidepath.Tests.Shadow;

/// <summary>
/// The paired shadow judge on seeded traffic where inputs differ (bench/Glidepath.Bench.CanarySim's
/// <see cref="CorrelatedTraffic"/>): no harm on an identical candidate at any look, harm on a worse one, the error
/// rate at its stated level across many seeds, and fewer requests than the unpaired canary judge needs.
/// </summary>
public sealed class PairedJudgeTests
{
    private static readonly RolloutPlan Plan = new()
    {
        MinRequests = 200,
        MinSubjects = 20,
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.02 },
            ["latency"] = new() { MaxRatio = 1.2 },
            ["cost_per_call"] = new() { MaxRatio = 1.2 },
            ["online_score"] = new() { MaxDrop = 0.03 },
            ["online_pass_rate"] = new() { MaxDrop = 0.05 },
            ["feedback"] = new() { MaxDrop = 0.05 },
        },
    };

    private static readonly PairedJudge Judge = new(PairedJudgePolicy.From(Plan, PairedJudgePolicy.DefaultPairwiseMaxDrop));

    /// <summary>Pairs until the first harm or pass, looking after every pair; the outcome and the pairs it took.</summary>
    private static (PairedOutcome Outcome, long Pairs) Run(int seed, CorrelatedTraffic.Scenario scenario, int horizon, bool stopAtPass = true)
    {
        var traffic = new CorrelatedTraffic(seed, scenario);
        var sample = new PairedSample();
        for (var i = 1; i <= horizon; i++)
        {
            sample.Add(traffic.NextPair());
            var outcome = Judge.Classify(sample);
            if (outcome == PairedOutcome.Harm || (stopAtPass && outcome == PairedOutcome.Pass))
            {
                return (outcome, i);
            }
        }

        return (PairedOutcome.Collecting, horizon);
    }

    [Fact]
    public void Policy_TakesThePlansTolerancesAndLeavesOutWhatAPairCannotJudge()
    {
        var names = Judge.Policy.Rules.Select(r => r.Name).ToList();

        Assert.Equal(["error_rate", "latency", "cost_per_call", "online_score", "online_pass_rate", PairedSample.PairwiseMetric], names);
        Assert.Equal(0.05 / 6, Judge.Policy.AlphaPerMetric, 12);
        Assert.Equal(200, Judge.Policy.MinPairs);
        Assert.DoesNotContain("feedback", names);
        Assert.Equal(Math.Log(1.2), Judge.Policy.Rules[1].Threshold, 12);
    }

    [Fact]
    public void Classify_IdenticalCandidate_ThousandPairs_NeverHarmAtAnyLook()
    {
        var (outcome, _) = Run(seed: 1, new CorrelatedTraffic.Scenario(), horizon: 1000, stopAtPass: false);

        Assert.NotEqual(PairedOutcome.Harm, outcome);
    }

    [Fact]
    public void Classify_IdenticalCandidate_FalseHarmRateAcrossSeeds_AtMostTheStatedFivePercent()
    {
        // 1 − confidence = 5% is the guarantee over the whole run, every look included. Measured: 0 of 200.
        const int runs = 200;
        var harms = Enumerable.Range(0, runs).Count(seed => Run(seed + 1000, new CorrelatedTraffic.Scenario(), horizon: 2000, stopAtPass: false).Outcome == PairedOutcome.Harm);

        Assert.True(harms <= runs * 0.05, $"{harms} of {runs} A/A runs judged harm");
    }

    [Fact]
    public void Classify_SubjectsThatGainOrLose_MeanZero_ClusterVarianceKeepsTheErrorRate()
    {
        // The candidate is better for some users and worse for others, zero on average, 40 users with Zipf traffic:
        // pairs of one user share their user's effect, so pairs as independent units would see harm that is not there.
        var scenario = new CorrelatedTraffic.Scenario(Subjects: 40, SubjectSkew: 0.8, SubjectEffectSd: 0.05);
        const int runs = 200;
        var harms = Enumerable.Range(0, runs).Count(seed => Run(seed + 5000, scenario, horizon: 2000, stopAtPass: false).Outcome == PairedOutcome.Harm);

        Assert.True(harms <= runs * 0.05, $"{harms} of {runs} A/A runs with per-user effects judged harm");
    }

    [Theory]
    [InlineData("quality", 1)]
    [InlineData("latency", 2)]
    [InlineData("cost", 3)]
    [InlineData("errors", 4)]
    public void Classify_WorseCandidate_JudgedHarmOnTheMetricThatMoved(string what, int seed)
    {
        var scenario = what switch
        {
            "quality" => new CorrelatedTraffic.Scenario(ScoreShift: -0.1),
            "latency" => new CorrelatedTraffic.Scenario(LatencyRatio: 1.5),
            "cost" => new CorrelatedTraffic.Scenario(CostRatio: 1.6),
            _ => new CorrelatedTraffic.Scenario(CandidateErrorRate: 0.10),
        };
        var expected = what switch
        {
            "quality" => "online_score",
            "latency" => "latency",
            "cost" => "cost_per_call",
            _ => "error_rate",
        };
        var traffic = new CorrelatedTraffic(seed, scenario);
        var sample = new PairedSample();
        for (var i = 0; i < 2000 && Judge.Classify(sample) != PairedOutcome.Harm; i++)
        {
            sample.Add(traffic.NextPair());
        }

        var decision = Judge.Decide(sample);
        Assert.Equal(PairedOutcome.Harm, decision.Outcome);
        Assert.Equal("harm", decision.Evidence.Single(e => e.Metric == expected).Verdict);
        Assert.Contains(expected, decision.Reason, StringComparison.Ordinal);
        Assert.True(decision.Pairs < 2000, $"harm after {decision.Pairs} pairs");
    }

    [Fact]
    public void Decide_IdenticalCandidate_PassesWithEveryMetricSafe()
    {
        var traffic = new CorrelatedTraffic(7, new CorrelatedTraffic.Scenario(StableErrorRate: 0.002, CandidateErrorRate: 0.002));
        var sample = new PairedSample();
        for (var i = 0; i < 20_000 && Judge.Classify(sample) != PairedOutcome.Pass; i++)
        {
            sample.Add(traffic.NextPair());
        }

        var decision = Judge.Decide(sample);
        Assert.Equal(PairedOutcome.Pass, decision.Outcome);
        Assert.All(decision.Evidence, e => Assert.Equal("safe", e.Verdict));
        Assert.Equal(decision.Pairs, decision.Evidence[0].CanaryN);
        Assert.True(decision.Pairs >= Plan.MinRequests);
    }

    [Fact]
    public void Assess_NoDiscordantPairYet_ErrorRateIsNotDeclaredSafeEarly()
    {
        // 300 pairs with no error on either side: the observed difference has zero variance, but 300 pairs cannot
        // show that the candidate's error rate is within 2 points (the safe side is taken at the tolerance).
        var sample = new PairedSample();
        for (var i = 0; i < 300; i++)
        {
            sample.Add(new ShadowPair(i % 64, false, false, 100, 100, null, null, null, null, null, null, null));
        }

        var errors = Judge.Assess(Judge.Policy.Rules[0], sample);
        Assert.Equal(MetricVerdict.Unclear, errors.Verdict);
        Assert.True(errors.Upper > 0.02);
    }

    [Fact]
    public void Assess_FewSubjects_NotEnoughDataWhateverThePairs()
    {
        var sample = new PairedSample();
        for (var i = 0; i < 2000; i++)
        {
            sample.Add(new ShadowPair(i % 3, false, true, 100, null, null, null, null, null, null, null, null));
        }

        Assert.Equal(MetricVerdict.NotEnoughData, Judge.Assess(Judge.Policy.Rules[0], sample).Verdict);
        Assert.StartsWith("3 effective subjects", Judge.Decide(sample).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_MetricNobodyMeasured_NoDataAndNotInTheWayOfAPass()
    {
        var sample = new PairedSample();
        sample.Add(new ShadowPair(0, false, false, 100, 100, null, null, null, null, null, null, null));

        Assert.Equal(MetricVerdict.NoData, Judge.Assess(Judge.Policy.Rules.Single(r => r.Name == PairedSample.PairwiseMetric), sample).Verdict);
        Assert.Equal(MetricVerdict.NoData, Judge.Assess(Judge.Policy.Rules.Single(r => r.Name == "cost_per_call"), sample).Verdict);
    }

    [Fact]
    public void PairedJudge_NeedsFarFewerRequestsThanTheCanaryJudge_OnTheSameRegression()
    {
        // The same quality drop (−0.05 on a 0–1 score, tolerance 0.03) on inputs that differ, 50% canary for the
        // unpaired judge. Medians over 30 seeds; the paired judge counts pairs (each one stable + one candidate call).
        var scenario = new CorrelatedTraffic.Scenario(ScoreShift: -0.05);
        var canaryJudge = new Judge(JudgePolicy.From(Plan));
        var paired = new List<long>();
        var unpaired = new List<long>();
        for (var seed = 0; seed < 30; seed++)
        {
            paired.Add(Run(seed + 300, scenario, horizon: 20_000).Pairs);

            var traffic = new CorrelatedTraffic(seed + 300, scenario);
            ArmSample canary = default, stable = default;
            long requests = 0;
            while (requests < 40_000 && canaryJudge.Classify(canary, stable, TimeSpan.Zero) != JudgeOutcome.RollBack)
            {
                requests++;
                if (requests % 2 == 0)
                {
                    canary = traffic.NextRequest(canary, candidate: true);
                }
                else
                {
                    stable = traffic.NextRequest(stable, candidate: false);
                }
            }

            unpaired.Add(requests);
        }

        var medianPaired = paired.Order().ElementAt(15);
        var medianUnpaired = unpaired.Order().ElementAt(15);
        Assert.True(medianPaired * 3 < medianUnpaired, $"paired median {medianPaired} pairs, unpaired median {medianUnpaired} requests");
    }

    [Theory]
    [InlineData(PairwisePreference.Verdict.CandidateBetter, PairwisePreference.Verdict.CandidateBetter, 1.0)]
    [InlineData(PairwisePreference.Verdict.CandidateBetter, PairwisePreference.Verdict.CandidateWorse, 0.5)]
    [InlineData(PairwisePreference.Verdict.Tie, PairwisePreference.Verdict.CandidateWorse, 0.25)]
    [InlineData(PairwisePreference.Verdict.CandidateWorse, PairwisePreference.Verdict.CandidateWorse, 0.0)]
    public void Combine_BothOrders_AFirstPositionJudgeIsATie(PairwisePreference.Verdict candidateFirst, PairwisePreference.Verdict candidateSecond, double expected) =>
        Assert.Equal(expected, PairwisePreference.Combine(candidateFirst, candidateSecond));

    [Fact]
    public void Parse_ReadsTheFirstWordAndFailsClosedOnAnythingElse()
    {
        Assert.Equal(PairwisePreference.Verdict.CandidateBetter, PairwisePreference.Parse("A. The first answer is better", candidateIsA: true));
        Assert.Equal(PairwisePreference.Verdict.CandidateWorse, PairwisePreference.Parse("a", candidateIsA: false));
        Assert.Equal(PairwisePreference.Verdict.CandidateBetter, PairwisePreference.Parse(" B\n", candidateIsA: false));
        Assert.Equal(PairwisePreference.Verdict.Tie, PairwisePreference.Parse("Tie: both are fine", candidateIsA: true));
        var error = Assert.Throws<OperationalException>(() => PairwisePreference.Parse("Both answers are good", candidateIsA: true));
        Assert.Equal(FailureKind.Operational, error.Kind);
    }
}
