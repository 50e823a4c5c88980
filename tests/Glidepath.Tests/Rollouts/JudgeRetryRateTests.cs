using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// retry_rate under the default plan: a provider that fails more often on the canary is caught although retries turned
/// every failure into an answer (no error reached a caller), and a canary no worse than stable is not rolled back.
/// Trial "tail", defect 1: a canary at 2% HTTP 500 against stable's 0.2% was promoted on error_rate +0.0000.
/// </summary>
public sealed class JudgeRetryRateTests
{
    private static readonly Judge Default = new(JudgePolicy.From(new RolloutPlan { MinRequests = 200, MaxDuration = TimeSpan.FromMinutes(10) }));

    /// <summary>
    /// One seeded step at <paramref name="weight"/>, each call retried with its arm's probability and then answered (no
    /// caller error on either arm), looked at every 50 requests until a decision other than continue, or the canary's
    /// <paramref name="horizon"/>; per-request subjects (64 groups, as the gateway keeps them).
    /// </summary>
    private static (JudgeOutcome Outcome, ArmSample Canary, ArmSample Stable) Step(int seed, double canaryRetried, double stableRetried, double weight, long horizon)
    {
        var random = new Random(seed);
        var canary = new Sums();
        var stable = new Sums();
        var outcome = JudgeOutcome.Continue;
        for (var i = 1; canary.Requests < horizon; i++)
        {
            var isCanary = random.NextDouble() < weight;
            (isCanary ? canary : stable).Add(random.Next(64), retried: random.NextDouble() < (isCanary ? canaryRetried : stableRetried), random);
            if (i % 50 == 0)
            {
                outcome = Default.Classify(canary.Sample(), stable.Sample(), TimeSpan.Zero);
                if (outcome is JudgeOutcome.RollBack or JudgeOutcome.Advance)
                {
                    break;
                }
            }
        }

        return (outcome, canary.Sample(), stable.Sample());
    }

    [Fact]
    public void Classify_CanaryRetries2PercentOfCallsStable0Point2_NoCallerErrors_RolledBackOnRetryRateInEveryOf100Runs()
    {
        for (var run = 0; run < 100; run++)
        {
            var (outcome, canary, stable) = Step(5000 + run, canaryRetried: 0.02, stableRetried: 0.002, weight: 0.5, horizon: 40_000);

            Assert.True(outcome == JudgeOutcome.RollBack, $"run {run}: {outcome} at canary {canary.Requests}, stable {stable.Requests}");
            var decision = Default.Decide(canary, stable, TimeSpan.Zero);
            var harmed = decision.Evidence.Where(e => e.Verdict == "harm").Select(e => e.Metric).ToList();
            Assert.Equal(["retry_rate"], harmed);
            Assert.Equal((0, 0), (canary.Errors, stable.Errors));
        }
    }

    [Fact]
    public void Classify_AaBothArmsRetry2PercentOfCalls_NeverRolledBackIn300Runs()
    {
        // Each run is looked at every 50 requests until it advances (or 10,000 canary requests); retry_rate has α/3.
        var rollbacks = 0;
        var advanced = 0;
        for (var run = 0; run < 300; run++)
        {
            var (outcome, _, _) = Step(9000 + run, canaryRetried: 0.02, stableRetried: 0.02, weight: 0.5, horizon: 10_000);
            rollbacks += outcome == JudgeOutcome.RollBack ? 1 : 0;
            advanced += outcome == JudgeOutcome.Advance ? 1 : 0;
        }

        Assert.Equal(0, rollbacks);
        // Not stuck either: at a 2% retry rate the safe side needs several thousand canary requests (rollout plan says how many).
        Assert.True(advanced >= 225, $"only {advanced} of 300 A/A steps advanced within 10,000 canary requests");
    }

    [Fact]
    public void Assess_NoProviderCallCountedOnEitherArm_RetryRateIsNoDataAndDoesNotHoldTheStep()
    {
        // An app's own client (the SDK's PrepareFor): Glidepath sees no attempts, so there is nothing to compare.
        var arm = new ArmSample { Requests = 5000, LatencyCount = 5000, LogLatencySum = 5000 * 6.0, LogLatencySquares = 5000 * 36.25 };

        var retry = Default.Assess(Default.Policy.Rules.Single(r => r.Name == "retry_rate"), arm, arm);

        Assert.Equal(MetricVerdict.NoData, retry.Verdict);
        Assert.Equal(JudgeOutcome.Advance, Default.Classify(arm, arm, TimeSpan.Zero));
    }

    [Fact]
    public void Shortfall_FewCountedCalls_SaysProviderCalls()
    {
        var canary = new ArmSample { Requests = 500, ProviderCalls = 12 };
        var stable = new ArmSample { Requests = 500, ProviderCalls = 500 };

        var said = Default.Shortfall(Default.Policy.Rules.Single(r => r.Name == "retry_rate"), canary, stable, "canary", "stable");

        Assert.Equal("12 provider calls in the canary, at least 20 needed on each side", said);
    }

    /// <summary>One arm's sums, per subject group too, with every request answered and its latency lognormal.</summary>
    private sealed class Sums
    {
        private readonly ArmSample[] _groups = new ArmSample[64];

        public long Requests { get; private set; }

        public void Add(int group, bool retried, Random random)
        {
            Requests++;
            var log = Math.Log(800) + (0.5 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
            var g = _groups[group];
            _groups[group] = g with
            {
                Requests = g.Requests + 1,
                ProviderCalls = g.ProviderCalls + 1,
                RetriedCalls = g.RetriedCalls + (retried ? 1 : 0),
                LatencyCount = g.LatencyCount + 1,
                LogLatencySum = g.LogLatencySum + log,
                LogLatencySquares = g.LogLatencySquares + (log * log),
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
