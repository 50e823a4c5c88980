using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// After store trouble the controller does not advance or promote until the traces the gateways kept meanwhile can have
/// been written (the settle window, 30 s), and says why once per episode; harm still rolls back at once. Outside trial
/// "pgops" #1: a controller promoted 0.4 s after PostgreSQL came back, on 37% of the step's traffic. Passes are driven
/// one by one on a fake clock.
/// </summary>
public abstract class RolloutSettleContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly TimeSpan Window = new RolloutControllerOptions { Holder = "x" }.SettleWindow;

    private static Task<Rollout> StartAsync(RolloutFixture f, Glidepath.Manifests.RolloutPlan? plan = null) =>
        f.Service.StartAsync("production", RolloutFixture.V2, plan ?? RolloutFixture.Plan, "ana", "test rollout", force: true, None);

    private static RolloutController Controller(RolloutFixture f, ITraceStore traces, string holder = "gw-a", Func<DateTimeOffset?>? unwritten = null) =>
        new(f.Store.Rollouts, f.Store.Environments, traces, f.Time, new RolloutControllerOptions { Holder = holder }) { UnwrittenTracesSince = unwritten };

    // As RolloutControllerContract: 0 errors in 400 canary requests is safe at every look.
    private static async Task GoodStepTrafficAsync(RolloutFixture f)
    {
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);
    }

    private static async Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(RolloutFixture f, Rollout rollout) =>
        await f.Store.Rollouts.DecisionsAsync(rollout.Id, None);

    /// <summary>A good pass, then two failing ones <paramref name="after"/> it (5 s: 08:00:05) and 25 s later (08:00:30); the store is back after them.</summary>
    private static async Task<(RolloutController Controller, FlakyArmStats Traces)> OutageAsync(RolloutFixture f, TimeSpan? after = null)
    {
        var traces = new FlakyArmStats(f.Store.Traces);
        var controller = Controller(f, traces);
        Assert.Empty(await controller.TickAsync(None));
        traces.Down = true;
        f.Time.Advance(after ?? TimeSpan.FromSeconds(5));
        await Assert.ThrowsAsync<InvalidOperationException>(() => controller.TickAsync(None));
        f.Time.Advance(TimeSpan.FromSeconds(25));
        await Assert.ThrowsAsync<InvalidOperationException>(() => controller.TickAsync(None));
        traces.Down = false;
        return (controller, traces);
    }

    [Fact]
    public async Task TickAsync_SafeLastStepRightAfterFailedPasses_HeldForTheSettleWindowThenPromoted()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f, RolloutFixture.Plan with { Steps = [50, 100] });
        var (controller, _) = await OutageAsync(f);
        await GoodStepTrafficAsync(f);

        var held = Assert.Single(await controller.TickAsync(None));

        Assert.Contains("holding: this controller (gw-a) could not use the store from 08:00:05 until 08:00:40 UTC (its passes failed); traces the gateways queued meanwhile are written first; advancing resumes at 08:01:10 UTC", held.Text);
        Assert.False(held.RolledBack);
        Assert.Equal(50, (await f.StateAsync()).Canary!.Weight);
        var settling = (await DecisionsAsync(f, rollout))[^1];
        Assert.Equal(RolloutDecisionKinds.Settling, settling.Kind);
        Assert.Equal(400, settling.CanaryRequests); // what the judge saw, kept as evidence
        Assert.Contains("(the judge: safe: ", settling.Reason);

        // Once per episode, not once per pass; one second before the window ends it still holds.
        f.Time.Advance(Window - TimeSpan.FromSeconds(1));
        Assert.Empty(await controller.TickAsync(None));
        Assert.Equal(50, (await f.StateAsync()).Canary!.Weight);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("promoted", Assert.Single(await controller.TickAsync(None)).Text);
        Assert.Equal(RolloutFixture.V2.Id, (await f.StateAsync()).StableReleaseId);
        Assert.Equal(["start", "settling", "promote"], (await DecisionsAsync(f, rollout)).Select(d => d.Kind));
    }

    [Fact]
    public async Task TickAsync_HarmRightAfterFailedPasses_RolledBackAtOnce()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f);
        var (controller, _) = await OutageAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.10);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000);

        var action = Assert.Single(await controller.TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Null((await f.StateAsync()).Canary);
        Assert.Equal(["start", "rollback"], (await DecisionsAsync(f, rollout)).Select(d => d.Kind));
    }

    [Fact]
    public async Task TickAsync_StepLimitPassedRightAfterFailedPasses_RollbackOnInconclusiveWaitsForTheWindow()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f, RolloutFixture.Plan with { OnInconclusive = "rollback" });
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        var (controller, _) = await OutageAsync(f, after: TimeSpan.FromMinutes(31)); // past the step's 30m limit

        var held = Assert.Single(await controller.TickAsync(None));

        Assert.Contains("holding: this controller (gw-a) could not use the store", held.Text);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        f.Time.Advance(Window);
        Assert.True(Assert.Single(await controller.TickAsync(None)).RolledBack);
        Assert.Equal(RolloutCauses.Inconclusive, DecisionView.From((await DecisionsAsync(f, rollout))[^1], rollout.Plan).Cause);
    }

    [Fact]
    public async Task TickAsync_StoreFailsAgainWithinTheWindow_OneEpisodeOneDecisionAndTheWindowRestarts()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f);
        var (controller, traces) = await OutageAsync(f);
        await GoodStepTrafficAsync(f);
        Assert.Single(await controller.TickAsync(None)); // 08:00:40: held until 08:01:10

        f.Time.Advance(TimeSpan.FromSeconds(20));
        traces.Down = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => controller.TickAsync(None));
        traces.Down = false;
        f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await controller.TickAsync(None)); // 08:01:05: the same episode, held until 08:01:35
        f.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await controller.TickAsync(None));
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("advancing 1% → 5%", Assert.Single(await controller.TickAsync(None)).Text);
        Assert.Equal(["start", "settling", "advance"], (await DecisionsAsync(f, rollout)).Select(d => d.Kind));
    }

    [Fact]
    public async Task TickAsync_LeaseTakenOverAfterItExpired_HeldForTheSettleWindow()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f);
        Assert.Empty(await Controller(f, f.Store.Traces, "gw-a").TickAsync(None)); // gw-a's lease: until 08:00:30

        // gw-a dies (or loses the store) holding it; gw-b takes over once it has expired.
        f.Time.Advance(TimeSpan.FromSeconds(21));
        await GoodStepTrafficAsync(f);
        var takeover = Controller(f, f.Store.Traces, "gw-b");
        var held = Assert.Single(await takeover.TickAsync(None));

        Assert.Contains("holding: this controller (gw-b) took over the lease of gw-a, which expired at 08:00:30 UTC without being given up (its host may have died or lost the store); traces the gateways queued meanwhile are written first; advancing resumes at 08:01:01 UTC", held.Text);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        Assert.Equal("gw-b", (await f.Store.Rollouts.LeaseAsync("app", "production", None))!.Holder);

        f.Time.Advance(Window);
        Assert.Contains("advancing 1% → 5%", Assert.Single(await takeover.TickAsync(None)).Text);
        Assert.Equal(["start", "settling", "advance"], (await DecisionsAsync(f, rollout)).Select(d => d.Kind));
    }

    // A review: leases are kept per environment and given up only for active rollouts, so an ended rollout's holder left
    // its row, and the next rollout's first controller (a new process has a new holder name) "took over" a lease that had
    // lapsed days before and held for the window with a note that a host may have died.
    [Fact]
    public async Task TickAsync_LeaseLeftByAnEarlierRollout_NewRolloutAdvancesAtOnce()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        await StartAsync(f);
        Assert.Empty(await Controller(f, f.Store.Traces, "gw-a").TickAsync(None)); // gw-a's lease: until 08:00:30
        await f.Service.AbortAsync("production", "ana", "not this one", None);
        f.Time.Advance(TimeSpan.FromMinutes(5));
        await StartAsync(f);
        await GoodStepTrafficAsync(f);

        var action = Assert.Single(await Controller(f, f.Store.Traces, "gw-b").TickAsync(None));

        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_LeaseGivenUpOnShutdown_NewHolderAdvancesAtOnce()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        await StartAsync(f);
        var stopping = Controller(f, f.Store.Traces, "gw-a");
        Assert.Empty(await stopping.TickAsync(None));
        await stopping.ReleaseLeasesAsync(None);
        await GoodStepTrafficAsync(f);

        var action = Assert.Single(await Controller(f, f.Store.Traces, "gw-b").TickAsync(None));

        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_ThisHostsTraceWriterKeepsTraces_HeldUntilTheWindowAfterItWritesAgain()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f);
        DateTimeOffset? unwritten = f.Time.GetUtcNow(); // 08:00:00
        var controller = Controller(f, f.Store.Traces, unwritten: () => unwritten);
        await GoodStepTrafficAsync(f);

        var held = Assert.Single(await controller.TickAsync(None));

        Assert.Contains("holding: the trace writer of this host (gw-a) keeps traces it could not write to the store since 08:00:00 UTC; what it and the other gateways kept is written first; advancing resumes 30s after it ends", held.Text);
        f.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await controller.TickAsync(None)); // still keeping them: still held, said once
        unwritten = null;
        f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await controller.TickAsync(None)); // 08:05:15: written again, held until 08:05:45
        f.Time.Advance(Window - TimeSpan.FromSeconds(1));
        Assert.Empty(await controller.TickAsync(None));
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);

        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("advancing 1% → 5%", Assert.Single(await controller.TickAsync(None)).Text);
        Assert.Equal(["start", "settling", "advance"], (await DecisionsAsync(f, rollout)).Select(d => d.Kind));
    }
}
