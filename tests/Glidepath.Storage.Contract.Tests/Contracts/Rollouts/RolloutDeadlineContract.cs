using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// max_hold on a store: a step held under on_inconclusive: hold is rolled back (cause deadline) once it has held that
/// long past its limit, counted from the step start the store keeps, so neither a new controller nor a freeze moves it.
/// </summary>
public abstract class RolloutDeadlineContract(IStoreFactory factory) : StoreContract(factory)
{
    // Step limit 30m, then at most 20m of holding: the deadline is 50m after the step began.
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(50);

    private static async Task<(RolloutFixture F, Rollout Rollout)> HeldAsync(IGlidepathStore store)
    {
        var f = await RolloutFixture.CreateAsync(store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan with { MaxHold = TimeSpan.FromMinutes(20) }, "ana", "test rollout", force: true, None);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        return (f, rollout);
    }

    private static async Task<string> StateAsync(RolloutFixture f, Rollout rollout) => (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State;

    [Fact]
    public async Task TickAsync_HeldPastMaxHold_RollsBackWithCauseDeadline()
    {
        var (f, rollout) = await HeldAsync(Store);
        f.Time.Advance(TimeSpan.FromMinutes(31));
        await f.Controller().TickAsync(None);
        f.Time.Advance(Deadline - TimeSpan.FromMinutes(31));

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Contains("rolled back at 1% — deadline: undecided after 50m0s", action.Text);
        Assert.Equal(RolloutState.RolledBack, await StateAsync(f, rollout));
        var state = await f.StateAsync();
        Assert.Null(state.Canary);
        Assert.Equal(RolloutFixture.V1.Id, state.StableReleaseId);
        var decisions = await f.Store.Rollouts.DecisionsAsync(rollout.Id, None);
        Assert.Equal(["start", "hold", "rollback"], decisions.Select(d => d.Kind));
        Assert.Equal(RolloutCauses.Deadline, DecisionView.From(decisions[^1], rollout.Plan).Cause);
        Assert.NotEmpty(RolloutJson.ReadEvidence(decisions[^1].EvidenceJson));
        var ev = (await f.Store.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Equal(RolloutEventKinds.RolledBack, ev.Kind);
        Assert.StartsWith("deadline: ", ev.Reason);
        Assert.Contains("\"cause\":\"deadline\"", ev.DetailsJson);
    }

    [Fact]
    public async Task TickAsync_HeldBeforeMaxHold_StillHoldsAtItsWeight()
    {
        var (f, rollout) = await HeldAsync(Store);
        f.Time.Advance(TimeSpan.FromMinutes(31));
        await f.Controller().TickAsync(None);
        f.Time.Advance(Deadline - TimeSpan.FromMinutes(31) - TimeSpan.FromSeconds(1));

        Assert.Empty(await f.Controller().TickAsync(None));

        Assert.Equal(RolloutState.Progressing, await StateAsync(f, rollout));
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_NewControllerTakesOverAHeldStep_DeadlineCountsFromTheStoredStepStart()
    {
        var (f, rollout) = await HeldAsync(Store);
        f.Time.Advance(TimeSpan.FromMinutes(31));
        var first = f.Controller("gw-a");
        await first.TickAsync(None);
        await first.ReleaseLeasesAsync(None);

        // gw-b starts 15 minutes later, knowing nothing of gw-a: 5 minutes before the deadline it holds...
        f.Time.Advance(TimeSpan.FromMinutes(14));
        var second = f.Controller("gw-b");
        Assert.Empty(await second.TickAsync(None));
        Assert.Equal(RolloutState.Progressing, await StateAsync(f, rollout));

        // ...and at the deadline it rolls back: 50 minutes after the step began, not 50 after gw-b took over.
        f.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(Assert.Single(await second.TickAsync(None)).RolledBack);
        Assert.Equal(RolloutState.RolledBack, await StateAsync(f, rollout));
    }

    [Fact]
    public async Task TickAsync_FrozenWhileHeld_FrozenTimeDoesNotCountTowardsTheDeadline()
    {
        var (f, rollout) = await HeldAsync(Store);
        f.Time.Advance(TimeSpan.FromMinutes(31));
        await f.Controller().TickAsync(None);
        await f.Environments.FreezeAsync("production", "bob", "incident 12", None);
        f.Time.Advance(TimeSpan.FromMinutes(60));
        await f.Controller().TickAsync(None);
        Assert.Equal(RolloutState.Progressing, await StateAsync(f, rollout));

        await f.Environments.UnfreezeAsync("production", "bob", null, None);
        f.Time.Advance(TimeSpan.FromMinutes(18));
        await f.Controller().TickAsync(None);
        Assert.Equal(RolloutState.Progressing, await StateAsync(f, rollout));

        f.Time.Advance(TimeSpan.FromMinutes(1));
        await f.Controller().TickAsync(None);
        Assert.Equal(RolloutState.RolledBack, await StateAsync(f, rollout));
    }

    [Fact]
    public async Task TickAsync_PausedPastMaxHold_RollsBackWithCauseDeadline()
    {
        var (f, rollout) = await HeldAsync(Store);
        await f.Service.PauseAsync("production", "ana", "looking into it", None);
        f.Time.Advance(Deadline);

        await f.Controller().TickAsync(None);

        Assert.Equal(RolloutState.RolledBack, await StateAsync(f, rollout));
        Assert.Equal(RolloutCauses.Deadline, DecisionView.From((await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1], rollout.Plan).Cause);
    }
}
