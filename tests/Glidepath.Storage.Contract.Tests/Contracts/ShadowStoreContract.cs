using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Shadow;
using Glidepath.Storage.Contract.Tests.Contracts.Rollouts;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Shadows: the active shadow in the environment's state (compare-and-swap with history), and immutable pairs linked to both traces.</summary>
public abstract class ShadowStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly Manifest Manifest = new()
    {
        App = "app",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "m" }, Prompt = new PromptSpec { System = "s.md" } },
        Environments = [new EnvironmentSpec { Name = "production" }],
    };

    internal static ShadowPairRecord Pair(string shadow, int i, double candidateCost = 0.002) => new()
    {
        ShadowId = shadow,
        App = "app",
        Environment = "production",
        StableTraceId = $"s{i:D31}",
        CandidateTraceId = $"c{i:D31}",
        StableReleaseId = RolloutFixture.V1.Id,
        CandidateReleaseId = RolloutFixture.V2.Id,
        CreatedAt = T0.AddSeconds(i),
        Group = i % 64,
        StableError = false,
        CandidateError = i % 2 == 1,
        StableLatencyMs = 120.5,
        CandidateLatencyMs = i % 2 == 1 ? null : 130.25,
        StableCostUsd = 0.001,
        CandidateCostUsd = candidateCost,
        StablePassed = true,
        CandidatePassed = i % 2 == 1 ? null : false,
        StableScore = 1,
        CandidateScore = i % 2 == 1 ? null : 0.5,
        CandidatePreference = i % 2 == 1 ? null : 0.25,
    };

    private (ShadowService Service, EnvironmentService Environments) Services(IGlidepathStore store)
    {
        var time = new FakeTimeProvider(T0);
        var environments = new EnvironmentService(Manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, time);
        return (new ShadowService(Manifest, environments, store.Environments, store.Shadows, time), environments);
    }

    [Fact]
    public async Task WriteAsync_ThenPairsAsync_RoundTripsEveryValueOldestFirst()
    {
        var written = new[] { Pair("sh-1", 0), Pair("sh-1", 1) };

        await Store.Shadows.WriteAsync(written, None);

        var again = await Factory.OpenAgainAsync(Store);
        Assert.Equal(written, await again.Shadows.PairsAsync("sh-1", None));
    }

    [Fact]
    public async Task WriteAsync_CandidateTraceSeenAgain_IgnoredAndCountedOnce()
    {
        await Store.Shadows.WriteAsync([Pair("sh-1", 0, 0.5), Pair("sh-1", 1, 0.25)], None);
        await Store.Shadows.WriteAsync([Pair("sh-1", 1, 9), Pair("sh-1", 2, 0.125), Pair("sh-2", 3)], None);

        Assert.Equal(new ShadowSpend(3, 0.875), await Store.Shadows.SpendAsync("sh-1", None));
        Assert.Equal(0.25, (await Store.Shadows.PairsAsync("sh-1", None))[1].CandidateCostUsd);
        Assert.Equal(new ShadowSpend(0, 0), await Store.Shadows.SpendAsync("sh-none", None));
        Assert.Empty(await Store.Shadows.PairsAsync("sh-none", None));
    }

    [Fact]
    public async Task ClaimAsync_GrantsEachPartUpToItsCap_ThenNothing_AndAReturnCanBeClaimedAgain()
    {
        var caps = new ShadowSpend(10, 0.5);

        Assert.Equal(new ShadowSpend(4, 0.2), await Store.Shadows.ClaimAsync("sh-1", "a", new ShadowSpend(4, 0.2), caps, T0, None));
        Assert.Equal(new ShadowSpend(6, 0.3), await Store.Shadows.ClaimAsync("sh-1", "a", new ShadowSpend(8, 0.4), caps, T0, None)); // the rest of each
        Assert.Equal(new ShadowSpend(0, 0), await Store.Shadows.ClaimAsync("sh-1", "b", new ShadowSpend(1, 0.1), caps, T0, None));
        Assert.Equal(new ShadowSpend(3, 0), await Store.Shadows.ClaimAsync("sh-2", "a", new ShadowSpend(3, 0), caps, T0, None)); // a part wanted as 0 is not claimed

        await Store.Shadows.ReturnAsync("sh-1", "a", new ShadowSpend(3, 0.125), None);
        var again = await Factory.OpenAgainAsync(Store);
        Assert.Equal(new ShadowSpend(3, 0.125), await again.Shadows.ClaimAsync("sh-1", "b", new ShadowSpend(5, 1), caps, T0, None));
        await again.Shadows.ReturnAsync("sh-none", "a", new ShadowSpend(1, 1), None); // nothing claimed: nothing to give back
        Assert.Equal(new ShadowSpend(2, 0.25), await again.Shadows.ClaimAsync("sh-none", "a", new ShadowSpend(2, 0.25), caps, T0, None));
    }

    // shadow status shows what the gateways hold claimed beside the pairs stored (trial newcomer4 L1).
    [Fact]
    public async Task ClaimStateAsync_NoClaimBeforeAClaim_ThenWhatIsClaimedLessWhatWasGivenBack()
    {
        var caps = new ShadowSpend(10, 0.5);
        Assert.False((await Store.Shadows.ClaimStateAsync("sh-1", T0, None)).AnyClaim);

        await Store.Shadows.ClaimAsync("sh-1", "a", new ShadowSpend(4, 0.25), caps, T0, None);
        await Store.Shadows.ClaimAsync("sh-1", "b", new ShadowSpend(8, 0.125), caps, T0, None);
        await Store.Shadows.ReturnAsync("sh-1", "b", new ShadowSpend(3, 0.125), None);

        var again = await Factory.OpenAgainAsync(Store);
        var claimed = await again.Shadows.ClaimStateAsync("sh-1", T0, None);
        Assert.True(claimed.AnyClaim);
        Assert.Equal(new ShadowSpend(7, 0.25), claimed.Claimed);
        Assert.False((await again.Shadows.ClaimStateAsync("sh-2", T0, None)).AnyClaim);
    }

    // A shadow active before the claims existed (or pairs written by gateways of an older version): its first claim starts
    // from the pairs already stored, so they are not claimed a second time.
    [Fact]
    public async Task ClaimAsync_PairsStoredBeforeTheFirstClaim_CountAsClaimed()
    {
        await Store.Shadows.WriteAsync([Pair("sh-1", 0, 0.002), Pair("sh-1", 1, 0.002), Pair("sh-1", 2, 0.002)], None);

        var granted = await Store.Shadows.ClaimAsync("sh-1", "a", new ShadowSpend(10, 1), new ShadowSpend(5, 0.007), T0, None);

        Assert.Equal(2, granted.Pairs);
        Assert.Equal(0.001, granted.CostUsd, 9);
    }

    [Fact]
    public async Task ClaimAsync_ManyGatewaysAtOnce_TogetherGrantedExactlyTheCap()
    {
        var caps = new ShadowSpend(50, 1.0);
        var grants = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => Store.Shadows.ClaimAsync("sh-1", $"g{i % 5}", new ShadowSpend(3, 0.0625), caps, T0, None))));

        Assert.Equal(50, grants.Sum(g => g.Pairs));
        Assert.Equal(1.0, grants.Sum(g => g.CostUsd), 9);
    }

    // Outside trial: gateways killed with kill -9 never gave their unused claims back, and a shadow stayed at 110 of 150
    // pairs with all 150 claimed, mirroring nothing more. A holding not renewed for the lease is dropped when the caps are
    // all claimed: what the dead gateway claimed and did not store comes back, the pairs it stored stay counted (once).
    [Fact]
    public async Task ClaimAsync_AHolderThatStopsRenewing_LosesItsUnusedClaimAfterTheLease_ItsStoredPairsStayCounted()
    {
        var caps = new ShadowSpend(10, 1.0);
        Assert.Equal(new ShadowSpend(10, 0.5), await Store.Shadows.ClaimAsync("sh-1", "dead", new ShadowSpend(10, 0.5), caps, T0, None));
        await Store.Shadows.WriteAsync([Pair("sh-1", 0, 0.1), Pair("sh-1", 1, 0.1), Pair("sh-1", 2, 0.1)], None);
        Assert.True(await Store.Shadows.RenewAsync("sh-1", "dead", new ShadowSpend(3, 0.3), T0.AddSeconds(10), None));
        // Then it is killed: it renews no more, and 1 more pair it had in flight was stored by nobody.

        var lastRenewal = T0.AddSeconds(10);
        Assert.Equal(new ShadowSpend(0, 0.5), await Store.Shadows.ClaimAsync("sh-1", "live", new ShadowSpend(5, 0.5), caps, lastRenewal + ShadowClaims.Lease - TimeSpan.FromSeconds(1), None));
        var state = await Store.Shadows.ClaimStateAsync("sh-1", lastRenewal + ShadowClaims.Lease - TimeSpan.FromSeconds(1), None);
        Assert.Equal((2, 0), (state.LiveHolders, state.LapsedHolders));
        Assert.Equal(7, state.Unstored.Pairs);

        var again = await Factory.OpenAgainAsync(Store);
        var afterLease = lastRenewal + ShadowClaims.Lease;
        Assert.Equal(1, (await again.Shadows.ClaimStateAsync("sh-1", afterLease, None)).LapsedHolders);
        var granted = await again.Shadows.ClaimAsync("sh-1", "live", new ShadowSpend(10, 1.0), caps, afterLease, None);

        // 3 pairs stored: 7 requests come back. Cost: $0.30 stored plus the live holder's $0.50 (claimed, none stored) is $0.80 claimed.
        Assert.Equal(7, granted.Pairs);
        Assert.Equal(0.2, granted.CostUsd, 9);
        Assert.False(await again.Shadows.RenewAsync("sh-1", "dead", new ShadowSpend(3, 0.3), afterLease, None)); // its holding is gone
        await again.Shadows.ReturnAsync("sh-1", "dead", new ShadowSpend(7, 0.2), None); // and it has nothing to give back
        Assert.Equal(new ShadowSpend(0, 0), await again.Shadows.ClaimAsync("sh-1", "live", new ShadowSpend(1, 0.1), caps, afterLease, None));
        var after = await again.Shadows.ClaimStateAsync("sh-1", afterLease, None);
        Assert.Equal(new ShadowSpend(10, 1.0), after.Claimed with { CostUsd = Math.Round(after.Claimed.CostUsd, 9) });
        Assert.Equal((1, 0), (after.LiveHolders, after.LapsedHolders));
    }

    [Fact]
    public async Task ClaimAsync_ALiveHolderKeepsItsClaim_OnlyTheLapsedOnesAreCountedAgain()
    {
        var caps = new ShadowSpend(10, 0);
        await Store.Shadows.ClaimAsync("sh-1", "renewing", new ShadowSpend(6, 0), caps, T0, None);
        await Store.Shadows.ClaimAsync("sh-1", "dead", new ShadowSpend(4, 0), caps, T0, None);
        Assert.True(await Store.Shadows.RenewAsync("sh-1", "renewing", new ShadowSpend(0, 0), T0.AddSeconds(50), None));

        var now = T0.AddSeconds(100); // 'dead' lapsed 40 s ago; 'renewing' renewed 50 s ago, within the lease
        Assert.Equal(4, (await Store.Shadows.ClaimAsync("sh-1", "new", new ShadowSpend(10, 0), caps, now, None)).Pairs);
        Assert.Equal(0, (await Store.Shadows.ClaimAsync("sh-1", "new", new ShadowSpend(1, 0), caps, now, None)).Pairs);
        Assert.True(await Store.Shadows.RenewAsync("sh-1", "renewing", new ShadowSpend(0, 0), now, None));
    }

    [Fact]
    public async Task ClaimAsync_ManyGatewaysAtOnceAfterAHolderLapsed_NeverPassTheCap_NorClaimStoredPairsAgain()
    {
        var caps = new ShadowSpend(50, 1.0);
        await Store.Shadows.ClaimAsync("sh-1", "dead", new ShadowSpend(50, 1.0), caps, T0, None);
        await Store.Shadows.WriteAsync([.. Enumerable.Range(0, 10).Select(i => Pair("sh-1", i, 0.025))], None);

        var now = T0 + ShadowClaims.Lease + TimeSpan.FromSeconds(30);
        var grants = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => Store.Shadows.ClaimAsync("sh-1", $"g{i % 5}", new ShadowSpend(3, 0.0625), caps, now, None))));

        Assert.Equal(40, grants.Sum(g => g.Pairs));
        Assert.Equal(0.75, grants.Sum(g => g.CostUsd), 9);
    }

    // A live holder's figures are what it said at its last renewal: pairs it stored since count as stored and as its own
    // claim (more, never less), so a count made then never lets the claims pass a cap.
    [Fact]
    public async Task ClaimAsync_ALiveHoldersPairsStoredAfterItsLastRenewal_AreNotGrantedAgain()
    {
        var caps = new ShadowSpend(10, 0);
        await Store.Shadows.ClaimAsync("sh-1", "live", new ShadowSpend(5, 0), caps, T0, None);
        await Store.Shadows.ClaimAsync("sh-1", "dead", new ShadowSpend(5, 0), caps, T0, None);
        Assert.True(await Store.Shadows.RenewAsync("sh-1", "live", new ShadowSpend(1, 0), T0.AddSeconds(59), None));
        await Store.Shadows.WriteAsync([Pair("sh-1", 0), Pair("sh-1", 1), Pair("sh-1", 2)], None); // 'live' stored 2 more since

        var granted = await Store.Shadows.ClaimAsync("sh-1", "other", new ShadowSpend(10, 0), caps, T0.AddSeconds(61), None);

        Assert.Equal(10 - 3 - (5 - 1), granted.Pairs);
    }

    [Fact]
    public async Task ClaimStateAsync_ClaimedStoredLastPairAndHolders()
    {
        Assert.Equal(new ShadowClaimState(default, default, null, 0, 0, false), await Store.Shadows.ClaimStateAsync("sh-1", T0, None));
        await Store.Shadows.WriteAsync([Pair("sh-1", 0, 0.25), Pair("sh-1", 1, 0.25)], None);
        await Store.Shadows.ClaimAsync("sh-1", "a", new ShadowSpend(3, 0), new ShadowSpend(5, 0), T0, None);

        var state = await Store.Shadows.ClaimStateAsync("sh-1", T0 + ShadowClaims.Lease, None);

        Assert.Equal(new ShadowClaimState(new ShadowSpend(5, 0.5), new ShadowSpend(2, 0.5), T0.AddSeconds(1), 0, 1, true), state);
        Assert.Equal(new ShadowSpend(3, 0), state.Unstored);
        Assert.True(state.Stalled(null, 5, T0.AddSeconds(1) + ShadowClaims.Lease));
        Assert.False(state.Stalled(null, 5, T0.AddSeconds(30)));
        Assert.False(state.Stalled(null, 6, T0.AddSeconds(1) + ShadowClaims.Lease));
    }

    [Fact]
    public async Task StartAsync_WritesTheShadowIntoStateWithAHistoryEvent_StopClearsIt()
    {
        var (service, environments) = Services(Store);
        await environments.DeployAsync("production", RolloutFixture.V1, "ana", "first", None);

        var started = await service.StartAsync("production", RolloutFixture.V2, 0.25, 5, 1000, "ana", "try v2", None);

        var again = await Factory.OpenAgainAsync(Store);
        var state = await again.Environments.GetAsync("app", "production", None);
        Assert.Equal(new ShadowState(started.ShadowId, RolloutFixture.V2.Id, 0.25, 5, 1000), state.Shadow);
        Assert.Equal(2, state.Revision);
        var start = (await again.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Equal((EnvironmentEventKinds.ShadowStart, RolloutFixture.V1.Id, RolloutFixture.V2.Id, "try v2"), (start.Kind, start.FromReleaseId, start.ToReleaseId, start.Reason));

        await Store.Shadows.WriteAsync([Pair(started.ShadowId, 0)], None);
        var stopped = await service.StopAsync("production", "ana", "enough", None);

        Assert.Null((await again.Environments.GetAsync("app", "production", None)).Shadow);
        Assert.Equal((false, 1L), (stopped.Active, stopped.Spend.Pairs));
        var stop = (await again.Environments.HistoryAsync("app", "production", None))[^1];
        Assert.Equal((EnvironmentEventKinds.ShadowStop, 3L), (stop.Kind, stop.Revision));
        Assert.Contains("\"outcome\":\"collecting\"", stop.DetailsJson, StringComparison.Ordinal);
        Assert.False((await service.ReportAsync("production", None))!.Active);
    }

    [Fact]
    public async Task StartAsync_ShadowAlreadyActive_RefusedAndNothingWritten()
    {
        var (service, environments) = Services(Store);
        await environments.DeployAsync("production", RolloutFixture.V1, "ana", "first", None);
        await service.StartAsync("production", RolloutFixture.V2, 0.1, null, null, "ana", null, None);

        await Assert.ThrowsAsync<PolicyException>(() => service.StartAsync("production", RolloutFixture.V2, 0.1, null, null, "ana", null, None));

        Assert.Equal(2, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    [Fact]
    public async Task ApplyAsync_ShadowRateOutsideZeroToOne_RefusedBeforeAnythingIsWritten()
    {
        var change = EnvironmentStoreContract.Change(0, "shadow_start", "aaa");
        change = change with { NewState = change.NewState with { Shadow = new ShadowState("sh-x", "bbb", 1.5, null, null) } };

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Environments.ApplyAsync(change, None));

        Assert.Equal(0, await Store.Environments.GetRevisionAsync("app", "production", None));
    }
}
