using System.Security.Cryptography;
using System.Text;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// cancel_rate under the default plan, and 499s out of latency and cost. Outside trial sdkapp2: a canary ×4.84 slower
/// whose streams every user abandoned at a 330 ms deadline (stable's: about half) showed latency ×1.228 (inside 1.25) and
/// cost_per_call ×0.702, and the default plan would have promoted it.
/// </summary>
public sealed class JudgeCancelRateTests
{
    private static readonly Judge Default = new(JudgePolicy.From(new RolloutPlan { MinRequests = 200, MaxDuration = TimeSpan.FromMinutes(10) }));

    [Fact]
    public void DefaultPlan_JudgesCancelRate()
    {
        var rule = Assert.Single(Default.Policy.Rules, r => r.Name == "cancel_rate");

        Assert.Equal((MetricKind.Proportion, true, JudgePolicy.DefaultCancelRateMaxIncrease), (rule.Kind, rule.HarmIsIncrease, rule.Threshold));
    }

    [Fact]
    public void Decide_TrialSdkapp2_CanaryStreamsAllAbandonedAtTheDeadline_RolledBackOnCancelRateUnderTheDefaultPlan()
    {
        // Streams of 300 sticky users, half on each arm; the canary's stream time is ×4.84 stable's. Each user gives up
        // on a stream not finished after 330 ms (a 499 at 330 ms, charged a partial estimate); the first token came at
        // about 150 ms on both arms, so it was delivered.
        var random = new Random(31);
        var traces = new List<TraceRecord>();
        for (var i = 0; i < 1200; i++)
        {
            var user = random.Next(300);
            var canary = user % 2 == 0;
            var total = 336 * Math.Exp(0.25 * Normal(random)) * (canary ? 4.84 : 1);
            var cost = 0.002 * total / 336;
            var left = total > 330;
            traces.Add(new TraceRecord
            {
                TraceId = $"{i:x32}",
                App = "app",
                Environment = "production",
                ReleaseId = canary ? "v5" : "v1",
                Arm = canary ? "canary" : "stable",
                SubjectHash = Hash(user),
                StartedAt = new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero).AddSeconds(i),
                Api = "sdk",
                Stream = true,
                Status = left ? 499 : 200,
                Error = left ? "client_closed" : null,
                LatencyMs = left ? 330 : total,
                TimeToFirstTokenMs = 150 * Math.Exp(0.1 * Normal(random)),
                OverheadMs = 1,
                CostUsd = left ? cost * 330 / total : cost,
            });
        }

        var builder = new ArmStatsBuilder();
        foreach (var row in TraceAggregator.Aggregate(traces))
        {
            builder.Add(row);
        }

        var stats = builder.Build();
        var c = ArmSample.From(stats.Single(s => s.Arm == "canary"));
        var s = ArmSample.From(stats.Single(s => s.Arm == "stable"));

        var decision = Default.Decide(c, s, TimeSpan.FromMinutes(2));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        Assert.Equal(["cancel_rate"], decision.Evidence.Where(e => e.Verdict == "harm").Select(e => e.Metric));
        Assert.Equal(c.Requests, c.Cancelled);
        Assert.InRange((double)s.Cancelled / s.Requests, 0.35, 0.65);
        // The abandoned streams are not answers: the canary has no latency to show, not a fast one.
        Assert.Equal(0L, c.LatencyCount);
        Assert.Equal("not_enough_data", decision.Evidence.Single(e => e.Metric == "latency").Verdict);
        Assert.StartsWith("harm: cancel_rate", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_AaBothArmsCancel20PercentOfRequests_RollbacksWithinTheStatedRateIn200Runs()
    {
        // Each run is looked at every 50 requests until it advances (or 10,000 canary requests). Every metric has
        // α = 0.05/4 = 0.0125, so at most 2.5 of 200 false rollbacks on cancel_rate; the seeded runs give none.
        var rollbacks = 0;
        var advanced = 0;
        for (var run = 0; run < 200; run++)
        {
            var (outcome, _, _) = Step(7000 + run, canaryCancelled: 0.2, stableCancelled: 0.2, horizon: 10_000);
            rollbacks += outcome == JudgeOutcome.RollBack ? 1 : 0;
            advanced += outcome == JudgeOutcome.Advance ? 1 : 0;
        }

        Assert.True(rollbacks <= 0.0125 * 200, $"{rollbacks} of 200 A/A steps rolled back");
        Assert.True(advanced >= 150, $"only {advanced} of 200 A/A steps advanced within 10,000 canary requests");
    }

    [Fact]
    public void Classify_CanaryCancels30PercentStable20_RolledBackOnCancelRate()
    {
        for (var run = 0; run < 50; run++)
        {
            var (outcome, canary, stable) = Step(8000 + run, canaryCancelled: 0.3, stableCancelled: 0.2, horizon: 20_000);

            Assert.True(outcome == JudgeOutcome.RollBack, $"run {run}: {outcome} at canary {canary.Requests}, stable {stable.Requests}");
            var decision = Default.Decide(canary, stable, TimeSpan.Zero);
            Assert.Equal(["cancel_rate"], decision.Evidence.Where(e => e.Verdict == "harm").Select(e => e.Metric));
        }
    }

    [Fact]
    public void Shortfall_FewRequests_SaysRequests()
    {
        var canary = new ArmSample { Requests = 12, Cancelled = 3 };
        var stable = new ArmSample { Requests = 500, Cancelled = 40 };

        var said = Default.Shortfall(Default.Policy.Rules.Single(r => r.Name == "cancel_rate"), canary, stable, "canary", "stable");

        Assert.Equal("12 requests in the canary, at least 20 needed on each side", said);
    }

    /// <summary>
    /// One seeded step at weight 0.5 with per-request subjects (64 groups, as the gateway keeps them): each request is
    /// cancelled with its arm's probability, else answered with lognormal latency; looked at every 50 requests until a
    /// decision other than continue, or the canary's <paramref name="horizon"/>.
    /// </summary>
    private static (JudgeOutcome Outcome, ArmSample Canary, ArmSample Stable) Step(int seed, double canaryCancelled, double stableCancelled, long horizon)
    {
        var random = new Random(seed);
        var canary = new Sums();
        var stable = new Sums();
        var outcome = JudgeOutcome.Continue;
        for (var i = 1; canary.Requests < horizon; i++)
        {
            var isCanary = random.NextDouble() < 0.5;
            (isCanary ? canary : stable).Add(random.Next(64), cancelled: random.NextDouble() < (isCanary ? canaryCancelled : stableCancelled), random);
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

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string Hash(int user) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"user-{user}")));

    /// <summary>One arm's sums, per subject group too: a cancelled request is a request in no latency sum.</summary>
    private sealed class Sums
    {
        private readonly ArmSample[] _groups = new ArmSample[64];

        public long Requests { get; private set; }

        public void Add(int group, bool cancelled, Random random)
        {
            Requests++;
            var log = Math.Log(800) + (0.5 * Normal(random));
            var g = _groups[group];
            _groups[group] = g with
            {
                Requests = g.Requests + 1,
                Cancelled = g.Cancelled + (cancelled ? 1 : 0),
                LatencyCount = g.LatencyCount + (cancelled ? 0 : 1),
                LogLatencySum = g.LogLatencySum + (cancelled ? 0 : log),
                LogLatencySquares = g.LogLatencySquares + (cancelled ? 0 : log * log),
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
