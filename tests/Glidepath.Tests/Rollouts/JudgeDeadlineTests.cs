using Glidepath.Manifests;
using Glidepath.Rollouts;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Tests.Rollouts;

/// <summary>max_hold: a step held under on_inconclusive: hold is rolled back once it has held that long past its limit.</summary>
public sealed class JudgeDeadlineTests
{
    private static readonly SimulatedTraffic.Arm Baseline = new();

    private static RolloutPlan Plan(string onInconclusive, TimeSpan? maxHold) => new()
    {
        MinRequests = 200,
        MaxDuration = TimeSpan.FromMinutes(30),
        OnInconclusive = onInconclusive,
        MaxHold = maxHold,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 } },
    };

    /// <summary>30 requests on each arm: undecided, and below min_requests.</summary>
    private static SimulatedTraffic Undecided()
    {
        var traffic = new SimulatedTraffic(9);
        while (traffic.CanaryRequests < 30)
        {
            traffic.Next(0.1, Baseline, Baseline);
        }

        return traffic;
    }

    [Fact]
    public void Decide_HeldUntilMaxHoldPastTheStepLimit_HoldsBeforeAndRollsBackAtTheDeadline()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var stepStarted = time.GetUtcNow();
        var judge = new Judge(JudgePolicy.From(Plan("hold", TimeSpan.FromMinutes(20))));
        var traffic = Undecided();

        time.Advance(TimeSpan.FromMinutes(49) + TimeSpan.FromSeconds(59));
        var before = judge.Decide(traffic.Canary, traffic.Stable, time.GetUtcNow() - stepStarted);
        time.Advance(TimeSpan.FromSeconds(1));
        var at = judge.Decide(traffic.Canary, traffic.Stable, time.GetUtcNow() - stepStarted);

        Assert.Equal(JudgeOutcome.Hold, before.Outcome);
        Assert.StartsWith("inconclusive after 49m59s (step limit 30m0s, max_hold 20m0s), on_inconclusive: hold — staying at this step", before.Reason);
        Assert.Equal(JudgeOutcome.RollBack, at.Outcome);
        Assert.StartsWith("deadline: undecided after 50m0s (step limit 30m0s, max_hold 20m0s), on_inconclusive: hold — the hold has run out, rolling back", at.Reason);
        Assert.Equal(RolloutCauses.Deadline, RolloutCauses.Of(RolloutDecisionKinds.Rollback, at.Evidence, Plan("hold", TimeSpan.FromMinutes(20))));
    }

    [Fact]
    public void Decide_HoldWithoutMaxHold_HoldsForever()
    {
        var judge = new Judge(JudgePolicy.From(Plan("hold", null)));
        var traffic = Undecided();

        var decision = judge.Decide(traffic.Canary, traffic.Stable, TimeSpan.FromDays(30));

        Assert.Equal(JudgeOutcome.Hold, decision.Outcome);
    }

    [Fact]
    public void Decide_OnInconclusiveRollbackWithMaxHold_RollsBackAtTheStepLimitAsInconclusive()
    {
        var plan = Plan("rollback", TimeSpan.FromMinutes(20));
        var judge = new Judge(JudgePolicy.From(plan));
        var traffic = Undecided();

        var decision = judge.Decide(traffic.Canary, traffic.Stable, TimeSpan.FromMinutes(30));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        Assert.StartsWith("inconclusive after 30m0s (step limit 30m0s), on_inconclusive: rollback", decision.Reason);
        Assert.Equal(RolloutCauses.Inconclusive, RolloutCauses.Of(RolloutDecisionKinds.Rollback, decision.Evidence, plan));
    }
}
