using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// first_token_latency: a canary whose streamed first token comes four times later while the total time stays the same
/// is rolled back on it, and an A/A step is not. Outside trial "steps", defect 1: first token 0.32 s → 1.54 s at the
/// client, total 1.43 s → 1.56 s, and the judge saw only latency ×1.083 and promoted the canary.
/// </summary>
public sealed class JudgeFirstTokenLatencyTests
{
    private static readonly RolloutPlan Listed = new()
    {
        MinRequests = 200,
        MaxDuration = TimeSpan.FromMinutes(10),
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.01 },
            ["latency"] = new() { MaxRatio = 1.25 },
            ["first_token_latency"] = new() { MaxRatio = 1.25 },
        },
    };

    private static readonly Judge WithFirstToken = new(JudgePolicy.From(Listed));

    private static readonly Judge Default = new(JudgePolicy.From(new RolloutPlan { MinRequests = 200, MaxDuration = TimeSpan.FromMinutes(10) }));

    /// <summary>
    /// One seeded step at 50%: every request answered, 80% of them streamed; the total time lognormal around 1.4 s (σ 0.3)
    /// on both arms, and a stream's first token at <paramref name="canaryShare"/> or <paramref name="stableShare"/> of its
    /// total (jittered, σ 0.2). Looked at every 50 requests until a decision other than continue, or 10,000 canary requests;
    /// per-request subjects (64 groups, as the gateway keeps them).
    /// </summary>
    private static (JudgeOutcome Outcome, ArmSample Canary, ArmSample Stable) Step(Judge judge, int seed, double canaryShare, double stableShare)
    {
        var random = new Random(seed);
        var canary = new Sums();
        var stable = new Sums();
        var outcome = JudgeOutcome.Continue;
        for (var i = 1; canary.Requests < 10_000; i++)
        {
            var isCanary = random.NextDouble() < 0.5;
            var total = Math.Exp(Math.Log(1400) + (0.3 * Normal(random)));
            double? firstToken = random.NextDouble() < 0.8
                ? Math.Min(total, total * (isCanary ? canaryShare : stableShare) * Math.Exp(0.2 * Normal(random)))
                : null;
            (isCanary ? canary : stable).Add(random.Next(64), total, firstToken);
            if (i % 50 == 0)
            {
                outcome = judge.Classify(canary.Sample(), stable.Sample(), TimeSpan.Zero);
                if (outcome is JudgeOutcome.RollBack or JudgeOutcome.Advance)
                {
                    break;
                }
            }
        }

        return (outcome, canary.Sample(), stable.Sample());
    }

    [Fact]
    public void Classify_FirstTokenFourTimesLaterSameTotal_RolledBackOnFirstTokenLatencyInEveryOf100Runs_AndTheDefaultPlanPromotesIt()
    {
        for (var run = 0; run < 100; run++)
        {
            var (outcome, canary, stable) = Step(WithFirstToken, 7000 + run, canaryShare: 0.92, stableShare: 0.23);

            Assert.True(outcome == JudgeOutcome.RollBack, $"run {run}: {outcome} at canary {canary.Requests}, stable {stable.Requests}");
            var decision = WithFirstToken.Decide(canary, stable, TimeSpan.Zero);
            var harmed = decision.Evidence.Single(e => e.Verdict == "harm");
            Assert.Equal(("first_token_latency", "ratio"), (harmed.Metric, harmed.Scale));
            Assert.InRange(harmed.Estimate!.Value, 2.5, 5.0); // about ×3.7: a first token is never after the last byte
            Assert.NotEqual("harm", decision.Evidence.Single(e => e.Metric == "latency").Verdict);
        }

        // What the trial saw: the default plan judges total latency only, and the same canary advances.
        var (unseen, _, _) = Step(Default, 7000, canaryShare: 0.92, stableShare: 0.23);
        Assert.Equal(JudgeOutcome.Advance, unseen);
    }

    [Fact]
    public void Classify_AaFirstTokenAtTheSameShare_NeverRolledBackIn300Runs()
    {
        var rollbacks = 0;
        var advanced = 0;
        for (var run = 0; run < 300; run++)
        {
            var (outcome, _, _) = Step(WithFirstToken, 11_000 + run, canaryShare: 0.23, stableShare: 0.23);
            rollbacks += outcome == JudgeOutcome.RollBack ? 1 : 0;
            advanced += outcome == JudgeOutcome.Advance ? 1 : 0;
        }

        Assert.Equal(0, rollbacks);
        Assert.True(advanced >= 285, $"only {advanced} of 300 A/A steps advanced within 10,000 canary requests");
    }

    [Fact]
    public void Assess_NoStreamOnEitherArm_NotEnoughDataSayingAnsweredStreams()
    {
        // Whole answers only: no first token to compare, and none is no evidence of a fast one.
        var arm = new ArmSample { Requests = 5000, LatencyCount = 5000, LogLatencySum = 5000 * 6.0, LogLatencySquares = 5000 * 36.25 };
        var rule = WithFirstToken.Policy.Rules.Single(r => r.Name == "first_token_latency");

        Assert.Equal(MetricVerdict.NotEnoughData, WithFirstToken.Assess(rule, arm, arm).Verdict);
        Assert.Equal("0 answered streams in the canary and 0 in the stable, at least 20 needed on each side", WithFirstToken.Shortfall(rule, arm, arm, "canary", "stable"));
        Assert.Equal(JudgeOutcome.Continue, WithFirstToken.Classify(arm, arm, TimeSpan.Zero));
    }

    [Fact]
    public void From_FirstTokenLatency_IsALogMeanRuleWithMaxRatioAndNotInTheDefaultPlan()
    {
        var rule = MetricRule.From("first_token_latency", new MetricTolerance { MaxRatio = 1.5 });

        Assert.Equal((MetricKind.LogMean, true, "max_ratio 1.5"), (rule.Kind, rule.HarmIsIncrease, rule.ToleranceText));
        Assert.Equal(Math.Log(1.5), rule.Threshold, 12);
        Assert.DoesNotContain("first_token_latency", JudgePolicy.DefaultMetrics.Keys);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>One arm's sums, per subject group too: every request answered; streams carry a first token.</summary>
    private sealed class Sums
    {
        private readonly ArmSample[] _groups = new ArmSample[64];

        public long Requests { get; private set; }

        public void Add(int group, double totalMs, double? firstTokenMs)
        {
            Requests++;
            var log = Math.Log(totalMs);
            var first = firstTokenMs is { } f ? Math.Log(f) : 0;
            var g = _groups[group];
            _groups[group] = g with
            {
                Requests = g.Requests + 1,
                LatencyCount = g.LatencyCount + 1,
                LogLatencySum = g.LogLatencySum + log,
                LogLatencySquares = g.LogLatencySquares + (log * log),
                FirstTokenCount = g.FirstTokenCount + (firstTokenMs is null ? 0 : 1),
                LogFirstTokenSum = g.LogFirstTokenSum + first,
                LogFirstTokenSquares = g.LogFirstTokenSquares + (first * first),
            };
        }

        public ArmSample Sample()
        {
            var total = default(ArmSample);
            foreach (var g in _groups)
            {
                total = ArmSample.Add(total, g);
            }

            return total with { Groups = [.. _groups] };
        }
    }
}
