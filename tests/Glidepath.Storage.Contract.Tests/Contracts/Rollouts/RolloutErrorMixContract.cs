using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// Where the errors behind a decision came from, on a store: a rollback on <c>error_rate</c> says which kinds of error
/// the canary had and from which keys, and an advance judged against a stable arm inflated by refusals of the request
/// the canary did not share carries a warning (outside trial attacker2: requests only one arm's provider rejects aim
/// themselves at that arm).
/// </summary>
public abstract class RolloutErrorMixContract(IStoreFactory factory) : StoreContract(factory)
{
    private static async Task<(RolloutFixture F, Rollout Rollout)> StartedAsync(IGlidepathStore store)
    {
        var f = await RolloutFixture.CreateAsync(store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        return (f, rollout);
    }

    [Fact]
    public async Task TickAsync_CanaryErrorsAreOneKeysRefusals_RollbackReasonNamesTheKindAndTheKey()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 540, key: "app");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 60, errorRate: 1, error: "provider_rejected", key: "k2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "app");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Contains("the canary's errors this step: 60 provider_rejected (from 1 key); 60 of them refusals of the request or timeouts, 60 from key 'k2'", action.Text);
        Assert.Contains("\"Aiming at one arm\"", action.Text);
        var ended = await f.Store.Rollouts.GetAsync(rollout.Id, None);
        Assert.Contains("60 from key 'k2'", ended!.EndReason);
        Assert.Contains("60 from key 'k2'", (await f.Store.Environments.HistoryAsync("app", "production", None))[^1].Reason);
    }

    [Fact]
    public async Task TickAsync_TheErrorTracesCannotBeRead_HarmStillRollsBackAndSaysSo()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.1, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "app");
        var controller = new RolloutController(f.Store.Rollouts, f.Store.Environments, new UnlistableTraces(f.Store.Traces), f.Time, new RolloutControllerOptions { Holder = "gw-a" });

        var action = Assert.Single(await controller.TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.EndsWith("; the canary's errors this step could not be read (InvalidOperationException)", action.Text);
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        Assert.Null((await f.StateAsync()).Canary);
    }

    [Fact]
    public async Task TickAsync_CanaryErrorsAreServerErrors_RollbackReasonCountsThemWithoutTheRefusalNote()
    {
        var (f, _) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 540, key: "app");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 60, errorRate: 1, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "app");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Contains("the canary's errors this step: 60 status 500 (from 1 key)", action.Text);
        Assert.DoesNotContain("refusals of the request", action.Text);
    }

    [Fact]
    public async Task TickAsync_StableInflatedByRefusalsTheCanaryDidNotHave_AdvancesWithAWarning()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 100, errorRate: 1, error: "provider_rejected", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.Warning);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.StartsWith("production: warning: refusals of the request or timeouts were 0.1111 of stable's requests this step and 0 of the canary's", action.Text);
        Assert.Contains("stable's errors this step: 100 provider_rejected (from 1 key); 100 of them refusals of the request or timeouts, 100 from key 'k2'", action.Text);
        Assert.Contains("the canary's own error rate this step: 0 (0 of 400 requests; the canary had no error this step)", action.Text);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
        var advance = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.Advance, advance.Kind);
        Assert.StartsWith("warning: refusals of the request or timeouts", advance.Reason);
        var step = (await f.Store.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Contains("\"warning\":\"warning: refusals of the request or timeouts", step.DetailsJson);
    }

    // Trial "today": the same attack with requests stable's slower model times out on, and a canary with errors of its own.
    [Fact]
    public async Task TickAsync_StableInflatedByOneKeysTimeouts_AdvancesWithAWarningThatNamesTheCanarysOwnErrors()
    {
        var (f, _) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 390, key: "app");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 10, errorRate: 1, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 100, errorRate: 1, error: "timeout", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.Warning);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.Contains("stable's errors this step: 100 timeout (from 1 key); 100 of them refusals of the request or timeouts, 100 from key 'k2'", action.Text);
        Assert.Contains("the canary's own error rate this step: 0.025 (10 of 400 requests; the canary's errors this step: 10 status 500 (from 1 key))", action.Text);
    }

    [Fact]
    public async Task TickAsync_StableRefusalsBelowHalfTheTolerance_AdvancesWithoutAWarning()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 10, errorRate: 1, error: "provider_rejected", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.False(action.Warning);
        Assert.DoesNotContain("warning", action.Text);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.DoesNotContain("warning", (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Reason);
    }
}
