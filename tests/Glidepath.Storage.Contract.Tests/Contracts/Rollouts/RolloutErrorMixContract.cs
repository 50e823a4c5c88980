using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// Where the errors behind a decision came from, on a store: a rollback on <c>error_rate</c> says which kinds of error
/// the canary had and from which keys, and stable's lead in refusals of the request and timeouts beyond chance is not
/// credited to the canary, whose own errors are judged (outside trials attacker2 and "today": requests only one arm's
/// provider rejects or times out on aim themselves at that arm).
/// </summary>
public abstract class RolloutErrorMixContract(IStoreFactory factory) : StoreContract(factory)
{
    private static async Task<(RolloutFixture F, Rollout Rollout)> StartedAsync(IGlidepathStore store, RolloutPlan? plan = null)
    {
        var f = await RolloutFixture.CreateAsync(store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, plan ?? RolloutFixture.Plan, "ana", "test rollout", force: true, None);
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
        Assert.Contains("the canary's errors this step: 60 provider_rejected (from 1 key; all from key 'k2'); 60 of them refusals of the request or timeouts, 60 from key 'k2'", action.Text);
        Assert.Contains("\"Aiming at one arm\"", action.Text);
        var ended = await f.Store.Rollouts.GetAsync(rollout.Id, None);
        Assert.Contains("60 from key 'k2'", ended!.EndReason);
        Assert.Contains("60 from key 'k2'", (await f.Store.Environments.HistoryAsync("app", "production", None))[^1].Reason);
    }

    // Outside trial segments M1: "230 provider_error (from 3 keys)" when 205 came from one customer's key, which no line
    // named; a key holding most of the canary's errors is named for every kind of error, in the reason and the details.
    [Fact]
    public async Task TickAsync_OneKeyHoldsMostOfTheCanarysServerErrors_RollbackNamesItInTheReasonAndTheDetails()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 500, key: "web");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 6, errorRate: 1, key: "web");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 4, errorRate: 1, key: "mobile");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 60, errorRate: 1, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "web");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Contains("the canary's errors this step: 70 status 500 (from 3 keys; 60 of them from key 'acme2')", action.Text);
        Assert.Contains("60 of them from key 'acme2'", (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.EndReason);
        var ended = (await f.Store.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Contains("60 of them from key 'acme2'", ended.Reason);
        Assert.Contains("\"canary_errors\":{\"read\":70,\"truncated\":false,\"keys\":3,\"keyless\":0,\"top_key\":\"acme2\",\"top_key_errors\":60}", ended.DetailsJson);
    }

    // Trial segments M1, run 10: a warning hold on error_rate (one key at 11.5% against 1.1%) named no key.
    [Fact]
    public async Task TickAsync_WarningHoldOnErrorRate_NamesTheKeyMostOfTheCanarysErrorsCameFrom()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 5, key: "web");
        f.Time.Advance(TimeSpan.FromMinutes(31));
        await f.Controller().TickAsync(None);

        // Errors past max_increase 0.05 in the estimate, on too few requests for the interval to decide.
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 40, key: "web");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 6, errorRate: 1, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 4, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 200, key: "web");
        var warned = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(warned.Warning, warned.Text);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        var held = (await f.Store.Environments.HistoryAsync("app", "production", None)).Last(e => e.Kind == RolloutEventKinds.Held);
        Assert.StartsWith("warning: error_rate +0.", held.Reason);
        Assert.Contains("the canary's errors this step: 6 status 500 (from 1 key; all from key 'acme2')", held.Reason);
        Assert.Contains("\"top_key\":\"acme2\"", held.DetailsJson);
        Assert.Contains("all from key 'acme2'", (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Reason);
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
        Assert.Contains("the canary's errors this step: 60 status 500 (from 1 key; all from key 'app')", action.Text);
        Assert.DoesNotContain("refusals of the request", action.Text);
    }

    // Stable's lead in refusals of the request and timeouts beyond chance is not credited to the canary (Judge.OneArm.cs):
    // a clean canary still advances, and its reason says so.
    [Fact]
    public async Task TickAsync_StableInflatedByOneKeysRefusals_CleanCanaryAdvances_ReasonSaysTheLeadIsNotCredited()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 3000, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 700, errorRate: 1, error: "provider_rejected", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.False(action.Warning);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.Contains("error_rate: refusals of the request and timeouts were 0.1045 of stable's requests and 0 of the canary's;", action.Text);
        Assert.Contains("not credited to the canary", action.Text);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
        var advance = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.Advance, advance.Kind);
        Assert.Contains("\"one_arm_uncredited\"", advance.EvidenceJson!);
    }

    // Trial "today": one key's requests a slower stable timed out on hid a canary failing 12% of the others' requests,
    // which was promoted (with a warning, until 2026-12-07). The canary's own errors now roll it back.
    [Fact]
    public async Task TickAsync_StableInflatedByOneKeysTimeouts_CanaryWithErrorsOfItsOwnRollsBack()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 880, key: "app");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 120, errorRate: 1, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 1600, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 200, errorRate: 1, error: "timeout", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(action.RolledBack);
        Assert.Contains("not credited to the canary", action.Text);
        Assert.Contains("the canary's errors this step: 120 status 500 (from 1 key; all from key 'app')", action.Text);
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
    }

    [Fact]
    public async Task TickAsync_StablesLeadInRefusalsWithinChance_AdvancesWithoutTheClause()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 3000, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 4, errorRate: 1, error: "provider_rejected", key: "k2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.False(action.Warning);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.DoesNotContain("not credited", action.Text);
        Assert.DoesNotContain("one_arm_uncredited", (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].EvidenceJson!);
    }

    // Trial attacker3, HIGH 1: error_rate nets the arms' timeouts and refusals whoever sent them, so an attacker key making
    // stable time out hid a canary timing out on ordinary callers' requests. The advance is held when the two arms' such
    // errors came from different keys.
    [Fact]
    public async Task TickAsync_CanarysTimeoutsNettedAgainstAnotherKeysOnStable_AdvanceHeldWithTheKeysNamed()
    {
        var (f, rollout) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2850, key: "alice");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 150, errorRate: 1, error: "timeout", key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 400, errorRate: 1, error: "timeout", key: "attacker");

        var action = Assert.Single(await f.Controller().TickAsync(None));
        var again = await f.Controller().TickAsync(None);

        Assert.StartsWith("production: netted — safe to advance on the judge's figures, but held", action.Text);
        Assert.True(action.Warning);
        Assert.Contains("(0.05 of its requests; from 1 key, most from 'alice' (150))", action.Text);
        Assert.Contains("most from 'attacker' (400)) came from different callers (their shares by key overlap 0, beyond chance: p 0.0002)", action.Text);
        Assert.Contains("glidepath rollout promote --env production", action.Text);
        Assert.Empty(again);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        var held = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.Netted, held.Kind);
    }

    // Outside trial attacker4 LOW 6: a spread attack's hold named only its busiest key.
    [Fact]
    public async Task TickAsync_NettedAgainstSeveralKeys_TheThreeBusiestNamed()
    {
        var (f, _) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2850, key: "alice");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 150, errorRate: 1, error: "timeout", key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 200, errorRate: 1, error: "timeout", key: "attacker-a");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 150, errorRate: 1, error: "timeout", key: "attacker-b");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 40, errorRate: 1, error: "timeout", key: "attacker-c");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 10, errorRate: 1, error: "timeout", key: "attacker-d");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.StartsWith("production: netted", action.Text);
        Assert.Contains("from 4 keys, most from 'attacker-a' (200), 'attacker-b' (150), 'attacker-c' (40))", action.Text);
    }

    // Outside trial attacker4 MEDIUM 2: a netted hold had no end, so the attack bought a hold at the canary's weight for as
    // long as nobody looked. With max_hold it ends where an undecided hold does: rolled back, not promoted.
    [Fact]
    public async Task TickAsync_NettedHoldPastMaxHold_RolledBack()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var plan = RolloutFixture.Plan with { MaxHold = TimeSpan.FromMinutes(10) };
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, plan, "ana", "test rollout", force: true, None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2850, key: "alice");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 150, errorRate: 1, error: "timeout", key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 400, errorRate: 1, error: "timeout", key: "attacker");

        var held = Assert.Single(await f.Controller().TickAsync(None));
        f.Time.Advance(TimeSpan.FromMinutes(39));
        var stillHeld = await f.Controller().TickAsync(None);
        f.Time.Advance(TimeSpan.FromMinutes(1));
        var ended = Assert.Single(await f.Controller().TickAsync(None));

        Assert.StartsWith("production: netted", held.Text);
        Assert.Empty(stillHeld);
        Assert.True(ended.RolledBack, ended.Text);
        Assert.Contains("held as netted past max_hold 10m0s beyond the step's limit 30m0s, rolled back as an undecided hold is: safe to advance on the judge's figures, but held", ended.Text);
        Assert.Null((await f.StateAsync()).Canary);
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
    }

    [Fact]
    public async Task TickAsync_BothArmsTimeOutOnTheSameKeys_Advances()
    {
        var (f, _) = await StartedAsync(Store);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2850, key: "alice");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 150, errorRate: 1, error: "timeout", key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000, key: "alice");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 400, errorRate: 1, error: "timeout", key: "alice");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }

    // A healthy canary refusing 3% of requests from 400 keys, as stable does: its 90 errors overlap stable's 180 by key
    // poorly by chance alone (about 0.3), which held it until 2026-12-07. The difference is not beyond chance: it advances.
    [Fact]
    public async Task TickAsync_BothArmsRefuseManyKeysAlikeButTheirSharesOverlapPoorlyByChance_Advances()
    {
        var (f, rollout) = await StartedAsync(Store);
        var random = new Random(7);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2910, key: "app");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 5820, key: "app");
        foreach (var (release, arm, errors) in new[] { (RolloutFixture.V2.Id, Arm.Canary, 90), (RolloutFixture.V1.Id, Arm.Stable, 180) })
        {
            foreach (var group in Enumerable.Range(0, errors).Select(_ => random.Next(400)).GroupBy(k => k))
            {
                await f.TrafficAsync(release, arm, group.Count(), errorRate: 1, error: "provider_rejected", key: $"k{group.Key}");
            }
        }

        var canary = await ErrorMix.ReadAsync(f.Store.Traces, rollout, RolloutFixture.V2.Id, Arm.Canary, None);
        var stable = await ErrorMix.ReadAsync(f.Store.Traces, rollout, RolloutFixture.V1.Id, Arm.Stable, None);
        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.True(NettedCallers.Overlap(canary.RefusalsByKey, stable.RefusalsByKey) < RolloutController.NettedOverlap);
        Assert.Contains("advancing 1% → 5%", action.Text);
        Assert.False(action.Warning);
        Assert.Equal(5, (await f.StateAsync()).Canary!.Weight);
    }

    // Outside trial segments H1, run 6: key acme2 failed 6% of its requests on the canary (25 of 416) against 0.33% on
    // stable (1 of 299) while every other caller's errors fell to 0; the pooled error_rate read +0.0011 and the canary was
    // promoted. The per-key guard holds the advance and names the key and its rates; past max_hold it is rolled back as an
    // undecided hold is (a review: without an end, a caller making only the canary fail held every rollout).
    [Fact]
    public async Task TickAsync_CanaryFailsOneKeyWhileTheRestImproves_AdvanceHeldAsKeyHarmNamingTheKey()
    {
        var (f, rollout) = await StartedAsync(Store, TrialPlan);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 4167, key: "web");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 391, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 25, errorRate: 1, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 4456, key: "web");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 20, errorRate: 1, key: "web");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 298, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 1, errorRate: 1, key: "acme2");

        var action = Assert.Single(await f.Controller().TickAsync(None));
        var again = await f.Controller().TickAsync(None);

        Assert.True(action.Warning, action.Text);
        Assert.False(action.RolledBack);
        Assert.StartsWith("production: key_harm — safe to advance on the judge's figures, but held: the canary fails one caller key", action.Text);
        Assert.Contains("key 'acme2': 25 errors in 416 requests on the canary (6.01%) against 1 in 299 on stable (0.33%)", action.Text);
        Assert.Contains("glidepath traces list --env production --key acme2 --release v2id0000 --arm canary --failed", action.Text);
        Assert.Contains("glidepath rollback --env production", action.Text);
        Assert.Contains("glidepath rollout promote --env production", action.Text);
        Assert.DoesNotContain("'web'", action.Text);
        Assert.Empty(again);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        var held = Assert.Single(await f.Store.Environments.HistoryAsync("app", "production", None), e => e.Kind == RolloutEventKinds.Held);
        Assert.Contains("\"hold\":\"key_harm\"", held.DetailsJson);
        Assert.Contains("\"key\":\"acme2\",\"canary_requests\":416,\"canary_errors\":25,\"stable_requests\":299,\"stable_errors\":1", held.DetailsJson);
        Assert.Equal(RolloutDecisionKinds.KeyHarm, (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Kind);

        // Within the step's limit and its max_hold it stays held; past them it is rolled back, as an undecided hold is.
        f.Time.Advance(TimeSpan.FromMinutes(39));
        Assert.Empty(await f.Controller().TickAsync(None));
        Assert.Equal(RolloutState.Progressing, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        f.Time.Advance(TimeSpan.FromMinutes(2));
        var ended = Assert.Single(await f.Controller().TickAsync(None));
        Assert.True(ended.RolledBack, ended.Text);
        Assert.Contains("held as key_harm past max_hold 10m0s beyond the step's limit 30m0s, rolled back as an undecided hold is: safe to advance on the judge's figures, but held", ended.Text);
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
    }

    // The trial's error_rate tolerance (the sample's plan: max_increase 0.01), with max_hold 10m (the step's limit 30m).
    private static RolloutPlan TrialPlan => RolloutFixture.Plan with
    {
        MaxHold = TimeSpan.FromMinutes(10),
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 }, ["latency"] = new() { MaxRatio = 2 } },
    };

    // The same counts with the canary no worse for acme2 than stable (A/A for the key): it advances.
    [Fact]
    public async Task TickAsync_EveryKeyAsOnStable_Advances()
    {
        var (f, _) = await StartedAsync(Store, TrialPlan);
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 4167, key: "web");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 414, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 2, errorRate: 1, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 4476, key: "web");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 298, key: "acme2");
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 1, errorRate: 1, key: "acme2");

        var action = Assert.Single(await f.Controller().TickAsync(None));

        Assert.Contains("advancing 1% → 5%", action.Text);
    }
}
