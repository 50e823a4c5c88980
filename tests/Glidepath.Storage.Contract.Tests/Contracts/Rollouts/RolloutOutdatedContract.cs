using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// A controller on a store a newer glidepath migrated (the store's schema version above what it knows) neither advances,
/// promotes nor ends a step undecided: the newer version may record in the plan or the traces what decides, and this one
/// cannot read it. It says so once per step (an <c>outdated</c> decision); harm still rolls back. Once the host reads a
/// schema it knows again, it goes on. Trial "pgedge" follow-up: it said so in <c>/readyz</c> and promoted by its own rules.
/// </summary>
public abstract class RolloutOutdatedContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly StoreIdentity Newer = new("0123456789abcdef0123456789abcdef", new byte[32]) { SchemaVersion = 31, KnownSchemaVersion = 27 };
    private static readonly StoreIdentity Same = Newer with { SchemaVersion = 27 };

    private static Task<Rollout> StartAsync(RolloutFixture f, Glidepath.Manifests.RolloutPlan? plan = null) =>
        f.Service.StartAsync("production", RolloutFixture.V2, plan ?? RolloutFixture.Plan, "ana", "test rollout", force: true, None);

    private static async Task<IReadOnlyList<string>> KindsAsync(RolloutFixture f, Rollout rollout) =>
        (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None)).Select(d => d.Kind).ToList();

    [Fact]
    public async Task TickAsync_SafeLastStepOnANewerSchema_HeldOnceThenPromotedOnTheKnownSchema()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f, RolloutFixture.Plan with { Steps = [50, 100] });
        var controller = f.Controller();
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);

        var held = Assert.Single(await controller.TickAsync(Newer, None));

        Assert.Contains("outdated — holding: the store is at schema version 31, newer than this controller (gw-a) knows (27)", held.Text);
        Assert.Contains("harm still rolls back (the judge: safe: ", held.Text);
        Assert.False(held.RolledBack);
        Assert.Equal(RolloutFixture.V1.Id, (await f.StateAsync()).StableReleaseId);
        Assert.Equal(50, (await f.StateAsync()).Canary!.Weight);

        // Once per step, not once per pass.
        f.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await controller.TickAsync(Newer, None));
        Assert.Equal(["start", "outdated"], await KindsAsync(f, rollout));

        Assert.Contains("promoted", Assert.Single(await controller.TickAsync(Same, None)).Text);
        Assert.Equal(RolloutFixture.V2.Id, (await f.StateAsync()).StableReleaseId);
        Assert.Equal(["start", "outdated", "promote"], await KindsAsync(f, rollout));
    }

    [Fact]
    public async Task TickAsync_HarmOnANewerSchema_RolledBackAtOnce()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.10);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000);

        var action = Assert.Single(await f.Controller().TickAsync(Newer, None));

        Assert.True(action.RolledBack);
        Assert.Null((await f.StateAsync()).Canary);
        Assert.Equal(["start", "rollback"], await KindsAsync(f, rollout));
    }

    [Fact]
    public async Task TickAsync_StepLimitPassedOnANewerSchema_OnInconclusiveWaits()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await StartAsync(f, RolloutFixture.Plan with { OnInconclusive = "rollback" });
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5);
        f.Time.Advance(TimeSpan.FromMinutes(31)); // past the step's 30m limit
        var controller = f.Controller();

        Assert.Contains("outdated", Assert.Single(await controller.TickAsync(Newer, None)).Text);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);

        Assert.True(Assert.Single(await controller.TickAsync(Same, None)).RolledBack);
        Assert.Equal(["start", "outdated", "rollback"], await KindsAsync(f, rollout));
    }
}
