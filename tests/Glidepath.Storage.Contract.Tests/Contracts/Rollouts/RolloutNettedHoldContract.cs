using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// A netted hold in the environment's history, on a store: an advance held because the arms' one-arm errors came from
/// different callers is a <c>rollout_held</c> event with <c>hold: netted</c>, its p-value and busiest keys, as an undecided
/// hold is an event of its own; once per step, and again when the step begins again and is held again.
/// </summary>
public abstract class RolloutNettedHoldContract(IStoreFactory factory) : StoreContract(factory)
{
    private static async Task<(RolloutFixture F, Rollout Rollout)> StartedAsync(IGlidepathStore store)
    {
        var f = await RolloutFixture.CreateAsync(store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        return (f, rollout);
    }

    /// <summary>The canary times out on 5% of alice's requests; stable on 400 of an attacker key's, which error_rate nets against them.</summary>
    private static async Task NettedTrafficAsync(RolloutFixture f)
    {
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2850, key: "alice");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 150, errorRate: 1, error: "timeout", key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 400, errorRate: 1, error: "timeout", key: "attacker");
    }

    private async Task<List<EnvironmentEvent>> HeldEventsAsync() =>
        [.. (await Store.Environments.HistoryAsync("app", "production", None)).Where(e => e.Kind == RolloutEventKinds.Held)];

    [Fact]
    public async Task TickAsync_NettedHold_RecordsOneHeldEventWithThePValueAndTheBusiestKeys()
    {
        var (f, rollout) = await StartedAsync(Store);
        await NettedTrafficAsync(f);

        var held = Assert.Single(await f.Controller().TickAsync(None));
        f.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await f.Controller().TickAsync(None);

        Assert.StartsWith("production: netted", held.Text);
        Assert.Empty(again);
        var e = Assert.Single(await HeldEventsAsync());
        Assert.Equal(RolloutController.Actor, e.Actor);
        Assert.Contains("beyond chance: p 0.0002", e.Reason);
        Assert.Equal((await Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Reason, e.Reason);
        using var details = JsonDocument.Parse(e.DetailsJson!);
        var d = details.RootElement;
        Assert.Equal("netted", d.GetProperty("hold").GetString());
        Assert.Equal(0.0002, d.GetProperty("p_value").GetDouble(), 6);
        Assert.Equal(0, d.GetProperty("overlap").GetDouble());
        Assert.Equal(1, d.GetProperty("canary_keys").GetInt32());
        Assert.Equal(["alice"], d.GetProperty("canary_busiest_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["attacker"], d.GetProperty("stable_busiest_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(rollout.Id, d.GetProperty("rollout_id").GetString());
        Assert.Equal(1, d.GetProperty("step").GetInt32());
        var text = EventDetailsText.Line(d, e.Reason);
        Assert.Contains("hold: netted; p value: 0.0002; overlap: 0; canary keys: 1; canary busiest keys: alice; stable keys: 1; stable busiest keys: attacker", text);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
    }

    [Fact]
    public async Task TickAsync_NettedHoldLiftedByPauseAndResumeThenHeldAgain_RecordsASecondHeldEvent()
    {
        var (f, _) = await StartedAsync(Store);
        await NettedTrafficAsync(f);
        Assert.Single(await f.Controller().TickAsync(None));
        await f.Service.PauseAsync("production", "ana", "looking at the keys", None);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        await f.Service.ResumeAsync("production", "ana", null, None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await NettedTrafficAsync(f);

        var heldAgain = Assert.Single(await f.Controller().TickAsync(None));
        var stillHeld = await f.Controller().TickAsync(None);

        Assert.StartsWith("production: netted", heldAgain.Text);
        Assert.Empty(stillHeld);
        var events = await HeldEventsAsync();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Contains("\"hold\":\"netted\"", e.DetailsJson!));
    }
}
