using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class RolloutPlannerTests
{
    private static readonly RolloutPlan ErrorsOnly = new()
    {
        Steps = [5, 50, 100],
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 } },
    };

    [Fact]
    public void Plan_ErrorRateOnly_JudgeDeclaresSafeAtThePlannedRequestsAndNotAtHalf()
    {
        var profile = StableProfile.Assumed(0) with { ErrorRate = 0.01 };

        var step = RolloutPlanner.Plan(ErrorsOnly, profile)[0];

        Assert.Equal(5, step.Weight);
        Assert.Equal("error_rate", step.LimitingMetric);
        var n = step.CanaryRequests!.Value;
        var judge = new Judge(JudgePolicy.From(ErrorsOnly));
        ArmSample Arm(long requests) => new() { Requests = requests, Errors = (long)Math.Round(requests * 0.01) };
        var at = judge.Assess(judge.Policy.Rules[0], Arm(n + (n / 10)), Arm((n + (n / 10)) * 19));
        Assert.True(at.Verdict == MetricVerdict.Safe, $"n {n}: {at.Estimate} [{at.Lower}, {at.Upper}]");
        Assert.NotEqual(MetricVerdict.Safe, judge.Assess(judge.Policy.Rules[0], Arm(n / 2), Arm(n / 2 * 19)).Verdict);
        Assert.Equal(n * 20, step.TotalRequests);
    }

    [Fact]
    public void Plan_DefaultPlan_RetryRateIsPlannedLikeErrorRateOverTheCountedCalls()
    {
        var plan = new RolloutPlan { Steps = [50, 100], MinRequests = 200 };
        var profile = StableProfile.Assumed(0) with { ErrorRate = 0.002, RetryRate = 0.02 };

        var step = RolloutPlanner.Plan(plan, profile)[0];

        var retry = Assert.Single(step.Metrics, m => m.Metric == "retry_rate");
        var errors = Assert.Single(step.Metrics, m => m.Metric == "error_rate");
        Assert.True(retry.CanaryRequests > errors.CanaryRequests, $"retry_rate {retry.CanaryRequests} vs error_rate {errors.CanaryRequests}: a 2% base rate needs more than a 0.2% one");
        Assert.Equal("retry_rate", step.LimitingMetric);
    }

    private static readonly RolloutPlan WithFirstToken = new()
    {
        Steps = [50, 100],
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance> { ["latency"] = new() { MaxRatio = 1.25 }, ["first_token_latency"] = new() { MaxRatio = 1.25 } },
    };

    [Fact]
    public void Plan_FirstTokenLatency_PlannedLikeLatencyOverTheStableReleasesAnsweredStreams()
    {
        // Half the requests are answered streams, with the same spread as the total: twice the requests for as many observations.
        var stats = new ArmSample
        {
            Requests = 1000,
            LatencyCount = 1000,
            LogLatencySum = 1000 * 7.0,
            LogLatencySquares = 1000 * (49 + 0.25),
            FirstTokenCount = 500,
            LogFirstTokenSum = 500 * 5.8,
            LogFirstTokenSquares = 500 * ((5.8 * 5.8) + 0.25),
        };
        var profile = StableProfile.From(stats, 0)!;

        var step = RolloutPlanner.Plan(WithFirstToken, profile)[0];

        Assert.Equal(0.5, profile.FirstTokenShare, 9);
        Assert.Equal(0.25 * 1000 / 999, profile.LogLatencyVariance, 6);
        Assert.Equal(0.25 * 500 / 499, profile.LogFirstTokenVariance, 6);
        var latency = Assert.Single(step.Metrics, m => m.Metric == "latency");
        var first = Assert.Single(step.Metrics, m => m.Metric == "first_token_latency");
        Assert.InRange(first.CanaryRequests!.Value, (2 * latency.CanaryRequests!.Value) - 2, (2 * latency.CanaryRequests!.Value) + 4);
        Assert.Equal("first_token_latency", step.LimitingMetric);
    }

    [Fact]
    public void Plan_FirstTokenLatencyListedButStableServedNoStream_StepNeverAdvances()
    {
        // Not no_data: the judge holds a step whose arms have no first token to compare, and the plan says so.
        var stats = new ArmSample { Requests = 1000, LatencyCount = 1000, LogLatencySum = 1000 * 7.0, LogLatencySquares = 1000 * 49.25 };

        var step = RolloutPlanner.Plan(WithFirstToken, StableProfile.From(stats, 0)!)[0];

        Assert.Null(step.CanaryRequests);
        Assert.Equal("first_token_latency", step.LimitingMetric);
    }

    [Fact]
    public void Plan_LargerStepWithEqualArms_NeedsMoreCanaryRequestsButFewerInTotal()
    {
        var steps = RolloutPlanner.Plan(ErrorsOnly, StableProfile.Assumed(0));

        Assert.Equal([5.0, 50.0], steps.Select(s => s.Weight));
        Assert.True(steps[1].CanaryRequests > steps[0].CanaryRequests);
        Assert.True(steps[1].TotalRequests < steps[0].TotalRequests);
    }

    [Fact]
    public void Plan_OnlineScoreWithoutSampling_NotJudgedAndDoesNotHoldTheStep()
    {
        var plan = ErrorsOnly with
        {
            Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 }, ["online_score"] = new() { MaxDrop = 0.03 } },
        };

        var step = RolloutPlanner.Plan(plan, StableProfile.Assumed(onlineSampleRate: 0))[0];

        var online = Assert.Single(step.Metrics, m => m.Metric == "online_score");
        Assert.Null(online.CanaryRequests);
        Assert.Null(online.CatchesBeyond);
        Assert.NotNull(step.CanaryRequests);
    }

    [Fact]
    public void Plan_SmallStepOnTinyTraffic_MinRequestsSetsThePace()
    {
        var plan = ErrorsOnly with
        {
            MinRequests = 100_000,
            Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.2 } },
        };

        var step = RolloutPlanner.Plan(plan, StableProfile.Assumed(0))[0];

        Assert.Equal(100_000, step.CanaryRequests);
        Assert.Equal("min_requests", step.LimitingMetric);
    }

    [Fact]
    public void Plan_AaTrafficSeeded_PlannedRequestsAreAboutTheMedianStepNotABound()
    {
        // The judge on seeded A/A traffic (per-request, three metrics at a 25% step), looking every 25 canary requests: the
        // plan's figure (estimate exactly at stable's) is about the median step; the tail is long (an outside trial saw 2.2×).
        var plan = new RolloutPlan
        {
            Steps = [25, 100],
            MinRequests = 200,
            Metrics = new Dictionary<string, MetricTolerance>
            {
                ["error_rate"] = new() { MaxIncrease = 0.01 }, ["latency"] = new() { MaxRatio = 1.25 }, ["cost_per_call"] = new() { MaxRatio = 1.15 },
            },
        };
        var planned = RolloutPlanner.Plan(plan, StableProfile.Assumed(0))[0].CanaryRequests!.Value;
        var judge = new Judge(JudgePolicy.From(plan));
        var arm = new SimulatedTraffic.Arm();
        var ratios = new List<double>();
        for (var seed = 1; seed <= 40; seed++)
        {
            var traffic = new SimulatedTraffic(seed);
            while (traffic.CanaryRequests < planned * 6
                && !(traffic.Next(0.25, arm, arm) && traffic.CanaryRequests % 25 == 0 && judge.Classify(traffic.Canary, traffic.Stable, TimeSpan.Zero) == JudgeOutcome.Advance))
            {
            }

            ratios.Add(traffic.CanaryRequests / (double)planned);
        }

        ratios.Sort();
        Assert.InRange(ratios[20], 0.8, 1.15); // the median step
        Assert.InRange(ratios[32], 1.15, 1.5); // 1 in 5 needs about 1.3×
        Assert.InRange(ratios[36], 1.5, 2.2); // 1 in 10 about 1.8× or more
    }
}
