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

        Assert.Equal(new ShadowSpend(4, 0.2), await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(4, 0.2), caps, None));
        Assert.Equal(new ShadowSpend(6, 0.3), await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(8, 0.4), caps, None)); // the rest of each
        Assert.Equal(new ShadowSpend(0, 0), await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(1, 0.1), caps, None));
        Assert.Equal(new ShadowSpend(3, 0), await Store.Shadows.ClaimAsync("sh-2", new ShadowSpend(3, 0), caps, None)); // a part wanted as 0 is not claimed

        await Store.Shadows.ReturnAsync("sh-1", new ShadowSpend(3, 0.125), None);
        var again = await Factory.OpenAgainAsync(Store);
        Assert.Equal(new ShadowSpend(3, 0.125), await again.Shadows.ClaimAsync("sh-1", new ShadowSpend(5, 1), caps, None));
        await again.Shadows.ReturnAsync("sh-none", new ShadowSpend(1, 1), None); // nothing claimed: nothing to give back
        Assert.Equal(new ShadowSpend(2, 0.25), await again.Shadows.ClaimAsync("sh-none", new ShadowSpend(2, 0.25), caps, None));
    }

    // shadow status shows what the gateways hold claimed beside the pairs stored (trial newcomer4 L1).
    [Fact]
    public async Task ClaimedAsync_NullBeforeAClaim_ThenWhatIsClaimedLessWhatWasGivenBack()
    {
        var caps = new ShadowSpend(10, 0.5);
        Assert.Null(await Store.Shadows.ClaimedAsync("sh-1", None));

        await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(4, 0.25), caps, None);
        await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(8, 0.125), caps, None);
        await Store.Shadows.ReturnAsync("sh-1", new ShadowSpend(3, 0.125), None);

        var again = await Factory.OpenAgainAsync(Store);
        Assert.Equal(new ShadowSpend(7, 0.25), await again.Shadows.ClaimedAsync("sh-1", None));
        Assert.Null(await again.Shadows.ClaimedAsync("sh-2", None));
    }

    // A shadow active before the claims existed (or pairs written by gateways of an older version): its first claim starts
    // from the pairs already stored, so they are not claimed a second time.
    [Fact]
    public async Task ClaimAsync_PairsStoredBeforeTheFirstClaim_CountAsClaimed()
    {
        await Store.Shadows.WriteAsync([Pair("sh-1", 0, 0.002), Pair("sh-1", 1, 0.002), Pair("sh-1", 2, 0.002)], None);

        var granted = await Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(10, 1), new ShadowSpend(5, 0.007), None);

        Assert.Equal(2, granted.Pairs);
        Assert.Equal(0.001, granted.CostUsd, 9);
    }

    [Fact]
    public async Task ClaimAsync_ManyGatewaysAtOnce_TogetherGrantedExactlyTheCap()
    {
        var caps = new ShadowSpend(50, 1.0);
        var grants = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => Store.Shadows.ClaimAsync("sh-1", new ShadowSpend(3, 0.0625), caps, None))));

        Assert.Equal(50, grants.Sum(g => g.Pairs));
        Assert.Equal(1.0, grants.Sum(g => g.CostUsd), 9);
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
