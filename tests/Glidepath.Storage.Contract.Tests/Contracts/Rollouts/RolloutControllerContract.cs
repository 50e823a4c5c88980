using Glidepath.Errors;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>The rollout service and controller on a store: start, judge, advance, roll back, resume after a restart.</summary>
public abstract class RolloutControllerContract(IStoreFactory factory) : StoreContract(factory)
{
    private Task<RolloutFixture> FixtureAsync() => RolloutFixture.CreateAsync(Store);

    private static Task<Rollout> StartAsync(RolloutFixture f) =>
        f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);

    private static async Task GoodStepTrafficAsync(RolloutFixture f)
    {
        f.Time.Advance(TimeSpan.FromSeconds(10));
        // 0 errors in 400 canary requests shows an error rate within +0.05 at every look (100 would not: the exact
        // upper bound for 0 of 100 is still 3.6% at a single look).
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);
    }

    [Fact]
    public async Task StartAsync_NoGateVerdictAgainstStable_RefusedWithPolicyException()
    {
        var f = await FixtureAsync();

        var ex = await Assert.ThrowsAsync<PolicyException>(() => f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", null, force: false, None));

        Assert.Contains("cannot start a rollout of v2 in production", ex.Message);
        Assert.Null((await f.StateAsync()).Canary);
    }

    [Fact]
    public async Task StartAsync_Forced_SetsCanaryAtFirstStepAndRecordsTheOverride()
    {
        var f = await FixtureAsync();

        var rollout = await StartAsync(f);

        Assert.True(rollout.Forced);
        var state = await f.StateAsync();
        Assert.Equal(RolloutFixture.V2.Id, state.Canary!.ReleaseId);
        Assert.Equal(1, state.Canary.Weight);
        Assert.Equal(rollout.Seed, state.Canary.Seed);
        var started = (await f.Store.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Equal(RolloutEventKinds.Started, started.Kind);
        Assert.True(started.Forced);
        Assert.Contains("overridden", started.DetailsJson);
    }

    [Fact]
    public async Task TickAsync_GoodCanary_AdvancesThroughEveryStepAndBecomesStable()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        var controller = f.Controller();
        var weights = new List<double>();

        for (var i = 0; i < 4; i++)
        {
            weights.Add((await f.StateAsync()).Canary!.Weight);
            await GoodStepTrafficAsync(f);
            Assert.Single(await controller.TickAsync(None));
        }

        Assert.Equal([1, 5, 25, 50], weights);
        var state = await f.StateAsync();
        Assert.Null(state.Canary);
        Assert.Equal(RolloutFixture.V2.Id, state.StableReleaseId);
        var rollout = await f.Store.Rollouts.LatestAsync("app", "production", None);
        Assert.Equal(RolloutState.Promoted, rollout!.State);
        var log = await f.Store.Rollouts.DecisionsAsync(rollout.Id, None);
        Assert.Equal(["start", "advance", "advance", "advance", "promote"], log.Select(d => d.Kind));
        Assert.All(log.Skip(1), d => Assert.Contains("\"verdict\":\"safe\"", d.EvidenceJson));
        var kinds = (await f.Store.Environments.HistoryAsync("app", "production", None)).Select(e => e.Kind).ToList();
        Assert.Equal(["deploy", "rollout_started", "rollout_step", "rollout_step", "rollout_step", "rollout_promoted"], kinds);
    }

    // Outside trial "pgops" #5: with several hosts the history said only "controller". The actor stays "controller" (tools
    // look for it); each event the controller records names its lease holder in details.controller.
    [Fact]
    public async Task TickAsync_AdvanceAndRollback_EventsKeepActorControllerAndNameTheLeaseHolder()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await GoodStepTrafficAsync(f);
        await f.Controller("vm:6670:abc").TickAsync(None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.10);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000);
        await f.Controller("vm:6670:abc").TickAsync(None);

        var events = (await f.Store.Environments.HistoryAsync("app", "production", None)).Where(e => e.Kind is RolloutEventKinds.Step or RolloutEventKinds.RolledBack).ToList();
        Assert.Equal([RolloutEventKinds.Step, RolloutEventKinds.RolledBack], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal((RolloutController.Actor, "vm:6670:abc"), (e.Actor, (string?)Details(e)[RolloutController.HolderDetail])));
        Assert.All(await f.Store.Rollouts.DecisionsAsync(rollout.Id, None), d => Assert.True(d.Kind == RolloutDecisionKinds.Start || d.Actor == RolloutController.Actor, d.Actor));
    }

    // Outside trial "traffic" #4: the rollout_step event said step 2 / 50 while its decision said step 1 / 25% for the
    // same advance. step/weight stay the step entered; from_step/from_weight name the step the decision records.
    [Fact]
    public async Task TickAsync_Advance_StepEventNamesTheStepEnteredAndTheStepLeftAsItsDecision()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await GoodStepTrafficAsync(f);

        await f.Controller().TickAsync(None);
        await f.Service.PromoteAsync("production", full: true, "ana", "verified", None);

        var history = await f.Store.Environments.HistoryAsync("app", "production", None);
        var decisions = await f.Store.Rollouts.DecisionsAsync(rollout.Id, None);
        var advance = decisions.Single(d => d.Kind == RolloutDecisionKinds.Advance);
        var step = Details(history.Single(e => e.Kind == RolloutEventKinds.Step));
        Assert.Equal((2, 5.0, 1, 1.0), ((int)step["step"]!, (double)step["weight"]!, (int)step["from_step"]!, (double)step["from_weight"]!));
        Assert.Equal((advance.StepIndex + 1, advance.Weight), ((int)step["from_step"]!, (double)step["from_weight"]!));
        var promoted = Details(history.Single(e => e.Kind == RolloutEventKinds.Promoted));
        Assert.Equal((5, 100.0, 2, 5.0), ((int)promoted["step"]!, (double)promoted["weight"]!, (int)promoted["from_step"]!, (double)promoted["from_weight"]!));
        var started = Details(history.Single(e => e.Kind == RolloutEventKinds.Started));
        Assert.Equal((1, 1.0), ((int)started["step"]!, (double)started["weight"]!));
        Assert.False(started.ContainsKey("from_step")); // a start moves from no step
    }

    private static System.Text.Json.Nodes.JsonObject Details(Glidepath.Environments.EnvironmentEvent e) =>
        System.Text.Json.Nodes.JsonNode.Parse(e.DetailsJson!)!.AsObject();

    [Fact]
    public async Task TickAsync_CanaryWithTenPercentErrors_RolledBackAtFirstStepWithEvidence()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.10);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000);

        var done = await f.Controller().TickAsync(None);

        var action = Assert.Single(done);
        Assert.Contains("rolled back at 1%", action.Text);
        Assert.True(action.RolledBack);
        var state = await f.StateAsync();
        Assert.Null(state.Canary);
        Assert.Equal(RolloutFixture.V1.Id, state.StableReleaseId);
        var ended = await f.Store.Rollouts.GetAsync(rollout.Id, None);
        Assert.Equal(RolloutState.RolledBack, ended!.State);
        var last = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal("rollback", last.Kind);
        Assert.Equal(0, last.StepIndex);
        var errors = Assert.Single(RolloutJson.ReadEvidence(last.EvidenceJson), e => e.Metric == "error_rate");
        Assert.Equal("harm", errors.Verdict);
        Assert.True(errors.Lower > 0.05);
        var ev = (await f.Store.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Equal(RolloutEventKinds.RolledBack, ev.Kind);
        Assert.Equal(RolloutController.Actor, ev.Actor);
        Assert.Contains("error_rate", ev.Reason);
    }

    [Fact]
    public async Task TickAsync_AfterManualRollback_EndsRolloutWithoutTouchingTheEnvironment()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await GoodStepTrafficAsync(f);
        await f.Environments.RollbackAsync("production", null, "bob", "looks odd", None);
        var revision = (await f.StateAsync()).Revision;

        await f.Controller().TickAsync(None);

        Assert.Equal(revision, (await f.StateAsync()).Revision);
        Assert.Null((await f.StateAsync()).Canary);
        var ended = await f.Store.Rollouts.GetAsync(rollout.Id, None);
        Assert.Equal(RolloutState.RolledBack, ended!.State);
        Assert.Contains("'rollback' by bob", ended.EndReason);
        Assert.Equal(RolloutDecisionKinds.EndedExternally, (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Kind);
    }

    [Fact]
    public async Task TickAsync_NewControllerAfterRestart_ResumesAtTheStoredStepWithoutReapplyingIt()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        await GoodStepTrafficAsync(f);
        await f.Controller("gw-a").TickAsync(None);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);

        // gw-a dies holding the lease; gw-b takes over once it expires, and the step-5 requests so far are kept.
        var restarted = f.Controller("gw-b");
        Assert.Empty(await restarted.TickAsync(None));
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
        f.Time.Advance(TimeSpan.FromSeconds(31));
        await GoodStepTrafficAsync(f);

        // A lease that expired without being given up: gw-b waits out the settle window first (RolloutSettleContract).
        await restarted.TickAsync(None);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await restarted.TickAsync(None);

        Assert.Equal(25, (await f.StateAsync()).Canary!.Weight);
        var steps = (await f.Store.Environments.HistoryAsync("app", "production", None)).Where(e => e.Kind == RolloutEventKinds.Step).ToList();
        Assert.Equal(2, steps.Count);
        Assert.Contains("\"weight\":5", steps[0].DetailsJson);
        Assert.Contains("\"weight\":25", steps[1].DetailsJson);
    }

    [Fact]
    public async Task TickAsync_PausedRollout_NotAdvancedUntilResumed()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        await f.Service.PauseAsync("production", "ana", "investigating", None);
        await GoodStepTrafficAsync(f);

        Assert.Empty(await f.Controller().TickAsync(None));
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);

        await f.Service.ResumeAsync("production", "ana", null, None);
        await f.Controller().TickAsync(None);

        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_FrozenEnvironmentSafeCanary_HoldsAndNotesItOnce()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await f.Environments.FreezeAsync("production", "bob", "incident 12", None);
        await GoodStepTrafficAsync(f);

        await f.Controller().TickAsync(None);
        await f.Controller().TickAsync(None);

        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        var frozen = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None)).Where(d => d.Kind == RolloutDecisionKinds.Frozen).ToList();
        Assert.Contains("incident 12", Assert.Single(frozen).Reason);
    }

    [Fact]
    public async Task TickAsync_StepLimitPassedUndecided_RecordsHoldOnceAndKeepsWeight()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        f.Time.Advance(TimeSpan.FromMinutes(31));

        await f.Controller().TickAsync(None);
        await f.Controller().TickAsync(None);

        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        var hold = Assert.Single(await f.Store.Rollouts.DecisionsAsync(rollout.Id, None), d => d.Kind == RolloutDecisionKinds.Hold);
        Assert.StartsWith("inconclusive after", hold.Reason);
    }

    [Fact]
    public async Task TickAsync_StepLimitPassedUndecided_RecordsOneHeldHistoryEventWithTheReasonAndEvidence()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        f.Time.Advance(TimeSpan.FromMinutes(31));

        var first = await f.Controller().TickAsync(None);
        await f.Controller().TickAsync(None);

        Assert.False(Assert.Single(first).Warning);
        var held = Assert.Single(await f.Store.Environments.HistoryAsync("app", "production", None), e => e.Kind == RolloutEventKinds.Held);
        Assert.Equal(RolloutController.Actor, held.Actor);
        Assert.StartsWith("inconclusive after 31m0s", held.Reason);
        Assert.Contains("\"evidence\"", held.DetailsJson);
        Assert.DoesNotContain("warning", held.DetailsJson);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_HeldWhileAnEstimateIsBeyondItsTolerance_RecordsAWarningHoldOnce()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        f.Time.Advance(TimeSpan.FromMinutes(31));
        await f.Controller().TickAsync(None);

        // Errors well past max_increase 0.05 in the estimate, on too few requests for the interval to decide.
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 50, errorRate: 0.12);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 200);
        var warned = await f.Controller().TickAsync(None);
        await f.Controller().TickAsync(None);

        Assert.True(Assert.Single(warned).Warning, warned[0].Text);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        var holds = (await f.Store.Environments.HistoryAsync("app", "production", None)).Where(e => e.Kind == RolloutEventKinds.Held).ToList();
        Assert.Equal(2, holds.Count);
        Assert.StartsWith("warning: error_rate +0.", holds[1].Reason);
        Assert.Contains("the estimate is beyond max_increase 0.05, but the interval cannot decide", holds[1].Reason);
        Assert.Contains("consider: glidepath rollback --env production", holds[1].Reason);
        Assert.Contains("\"warning\"", holds[1].DetailsJson);
        var errors = Assert.Single(RolloutJson.ReadEvidence((await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].EvidenceJson), e => e.Metric == "error_rate");
        Assert.Equal("unclear", errors.Verdict);
        Assert.True(errors.EstimateBeyondTolerance);
    }

    [Fact]
    public async Task TickAsync_OtherControllerHoldsTheLease_ReportsStandbyOnceNamingTheHolderThenControllingWhenItTakesOver()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        Assert.True(await f.Store.Rollouts.TryAcquireLeaseAsync("app", "production", "gw-a", TimeSpan.FromSeconds(30), f.Time.GetUtcNow(), None));
        var notes = new List<string>();
        var standby = new RolloutController(f.Store.Rollouts, f.Store.Environments, f.Store.Traces, f.Time, new RolloutControllerOptions { Holder = "gw-b" }) { LeaseChanged = notes.Add };

        await standby.TickAsync(None);
        await standby.TickAsync(None);
        f.Time.Advance(TimeSpan.FromSeconds(31));
        await standby.TickAsync(None);
        await standby.TickAsync(None);

        Assert.Equal(2, notes.Count);
        Assert.StartsWith("On standby for app@production: gw-a holds the lease", notes[0]);
        Assert.StartsWith("Controlling the rollout ro-", notes[1]);
        Assert.Contains("(gw-b) holds its lease", notes[1]);
    }

    [Fact]
    public async Task TickAsync_OtherControllerHoldsTheLease_DoesNothing()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        Assert.True(await f.Store.Rollouts.TryAcquireLeaseAsync("app", "production", "gw-a", TimeSpan.FromSeconds(30), f.Time.GetUtcNow(), None));
        await GoodStepTrafficAsync(f);

        Assert.Empty(await f.Controller("gw-b").TickAsync(None));

        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task AbortAsync_ActiveRollout_ClearsCanaryKeepsStable()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);

        await f.Service.AbortAsync("production", "ana", "wrong release", None);

        var state = await f.StateAsync();
        Assert.Null(state.Canary);
        Assert.Equal(RolloutFixture.V1.Id, state.StableReleaseId);
        Assert.Equal(RolloutState.Aborted, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        await Assert.ThrowsAsync<PolicyException>(() => f.Service.AbortAsync("production", "ana", null, None));
    }

    [Fact]
    public async Task AbortAsync_AfterTraffic_KeepsTheJudgesEvidenceOfTheStep()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        await GoodStepTrafficAsync(f);

        await f.Service.AbortAsync("production", "ana", "wrong release", None);

        var abort = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.Abort, abort.Kind);
        Assert.Equal(400, abort.CanaryRequests);
        var errors = Assert.Single(RolloutJson.ReadEvidence(abort.EvidenceJson), e => e.Metric == "error_rate");
        Assert.Equal(400, errors.CanaryN);
        Assert.Equal("safe", errors.Verdict);
        Assert.Equal(RolloutCauses.Manual, DecisionView.From(abort, rollout.Plan).Cause);
    }

    [Fact]
    public async Task PromoteAsync_Full_MakesCanaryStableAtOnce()
    {
        var f = await FixtureAsync();
        await StartAsync(f);

        var rollout = await f.Service.PromoteAsync("production", full: true, "ana", "urgent fix verified", None);

        Assert.Equal(RolloutState.Promoted, rollout.State);
        Assert.Equal(RolloutFixture.V2.Id, (await f.StateAsync()).StableReleaseId);
        Assert.Equal("rollout_promoted", (await f.Store.Environments.HistoryAsync("app", "production", None))[^1].Kind);
    }

    [Fact]
    public async Task PromoteAsync_NotFull_MovesOneStepWithoutTheJudge()
    {
        var f = await FixtureAsync();
        await StartAsync(f);

        var rollout = await f.Service.PromoteAsync("production", full: false, "ana", null, None);

        Assert.Equal(1, rollout.StepIndex);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }
    [Fact]
    public async Task TickAsync_FrozenPastStepLimitWithRollbackOnInconclusive_FrozenTimeDoesNotCount()
    {
        var f = await FixtureAsync();
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan with { OnInconclusive = "rollback" }, "ana", "test", force: true, None);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        f.Time.Advance(TimeSpan.FromMinutes(10));
        await f.Environments.FreezeAsync("production", "bob", "incident 12", None);
        f.Time.Advance(TimeSpan.FromMinutes(40));

        await f.Controller().TickAsync(None);

        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        var frozen = Assert.Single(await f.Store.Rollouts.DecisionsAsync(rollout.Id, None), d => d.Kind == RolloutDecisionKinds.Frozen);
        Assert.Contains("time limit does not run", frozen.Reason);

        await f.Environments.UnfreezeAsync("production", "bob", null, None);
        f.Time.Advance(TimeSpan.FromMinutes(10));
        await f.Controller().TickAsync(None);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);

        f.Time.Advance(TimeSpan.FromMinutes(11));
        await f.Controller().TickAsync(None);
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
    }

    [Fact]
    public async Task TickAsync_FrozenWithHarmBeforeTheFreeze_RollsBack()
    {
        var f = await FixtureAsync();
        var rollout = await StartAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400, errorRate: 0.3);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);
        await f.Environments.FreezeAsync("production", "bob", "incident 12", None);

        await f.Controller().TickAsync(None);

        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        Assert.Null((await f.StateAsync()).Canary);
    }

    [Fact]
    public async Task PromoteAsync_PausedRollout_StaysPausedAtTheNewWeight()
    {
        var f = await FixtureAsync();
        var started = await StartAsync(f);
        await f.Service.PauseAsync("production", "ana", "checking", None);

        var rollout = await f.Service.PromoteAsync("production", full: false, "ana", null, None);
        await GoodStepTrafficAsync(f);
        await f.Controller().TickAsync(None);

        Assert.Equal(RolloutState.Paused, (await f.Store.Rollouts.GetAsync(started.Id, None))!.State);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
        var advance = (await f.Store.Rollouts.DecisionsAsync(started.Id, None))[^1];
        Assert.Contains("still paused", advance.Reason);
        Assert.Equal(RolloutState.Paused, rollout.State);
    }

    [Fact]
    public async Task PromoteAsync_PausedRolloutFull_Completes()
    {
        var f = await FixtureAsync();
        await StartAsync(f);
        await f.Service.PauseAsync("production", "ana", "checking", None);

        var rollout = await f.Service.PromoteAsync("production", full: true, "ana", "verified", None);

        Assert.Equal(RolloutState.Promoted, rollout.State);
        Assert.Equal(RolloutFixture.V2.Id, (await f.StateAsync()).StableReleaseId);
    }

    [Fact]
    public async Task PromoteAsync_NotFull_RecordsTheStepItLeftLikeTheController()
    {
        var f = await FixtureAsync();
        var started = await StartAsync(f);
        await GoodStepTrafficAsync(f);
        await f.Controller().TickAsync(None);

        await f.Service.PromoteAsync("production", full: false, "ana", null, None);

        var advances = (await f.Store.Rollouts.DecisionsAsync(started.Id, None)).Where(d => d.Kind == RolloutDecisionKinds.Advance).ToList();
        Assert.Equal([(0, 1.0), (1, 5.0)], advances.Select(d => (d.StepIndex, d.Weight)));
    }
}
