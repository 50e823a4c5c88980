using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>
/// What must hold when writers race, each on its own handle as separate processes would be: no lost update, no gap,
/// nothing counted twice, one lease holder. Assertions are on outcomes only, never on timing.
/// </summary>
public abstract class ConcurrencyContract(IStoreFactory factory) : StoreContract(factory)
{
    private const int Writers = 20;

    private async Task<IGlidepathStore[]> HandlesAsync(int n) => await Task.WhenAll(Enumerable.Range(0, n).Select(_ => Factory.OpenAgainAsync(Store)));

    [Fact]
    public async Task ApplyAsync_TwentyCompareAndSwapWriters_GaplessRevisionsAndNoLostUpdate()
    {
        var handles = await HandlesAsync(Writers);

        // Each writer reads, then swaps from what it read; when it loses the race it reads again and retries.
        var writes = handles.Select((store, i) => Task.Run(async () =>
        {
            for (var attempt = 0; ; attempt++)
            {
                var current = await store.Environments.GetAsync("app", "production", None);
                var change = EnvironmentStoreContract.Change(current.Revision, "deploy", $"release-{i}", from: current.StableReleaseId, actor: $"writer-{i}");
                try
                {
                    return (await store.Environments.ApplyAsync(change, None)).Revision;
                }
                catch (PolicyException) when (attempt < 10_000)
                {
                }
            }
        }));
        var revisions = await Task.WhenAll(writes);

        var history = await Store.Environments.HistoryAsync("app", "production", None);
        Assert.Equal(Enumerable.Range(1, Writers).Select(r => (long)r), revisions.Order());
        Assert.Equal(Enumerable.Range(1, Writers).Select(r => (long)r), history.Select(e => e.Revision));
        Assert.Equal(Writers, history.Select(e => e.Actor).Distinct().Count());
        for (var i = 1; i < history.Count; i++)
        {
            // Every writer swapped from the state its predecessor left: no update was lost in between.
            Assert.Equal(history[i - 1].ToReleaseId, history[i].FromReleaseId);
        }

        var final = await Store.Environments.GetAsync("app", "production", None);
        Assert.Equal((Writers, history[^1].ToReleaseId), (final.Revision, final.StableReleaseId));
    }

    [Fact]
    public async Task WriteBatchAsync_ConcurrentBatchesSharingTraceIds_EachTraceCountedOnce()
    {
        var handles = await HandlesAsync(10);
        var shared = Enumerable.Range(0, 50).Select(i => TraceStoreContract.Trace($"shared-{i:00}")).ToList();

        // Every writer sends the 50 shared traces (in its own order) plus 5 of its own.
        await Task.WhenAll(handles.Select((store, w) => Task.Run(() =>
            store.Traces.WriteBatchAsync([.. shared.Skip(w * 5), .. shared.Take(w * 5), .. Enumerable.Range(0, 5).Select(i => TraceStoreContract.Trace($"own-{w}-{i}"))], None))));

        var stats = Assert.Single(await Store.Traces.ArmStatsAsync("app", "staging", DateTimeOffset.UnixEpoch, null, None));
        Assert.Equal(100, stats.Count);
        Assert.Equal(100, stats.Groups.Sum(g => g.Count));
        Assert.Equal(100, (await Store.Traces.ListAsync(new Traces.TraceQuery { App = "app", Limit = 1000 }, None)).Count);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_TwentyContenders_ExactlyOneHoldsItEachRound()
    {
        var handles = await HandlesAsync(Writers);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var ttl = TimeSpan.FromSeconds(30);

        for (var round = 0; round < 5; round++)
        {
            var now = time.GetUtcNow();
            var won = await Task.WhenAll(handles.Select((store, i) => Task.Run(() =>
                store.Rollouts.TryAcquireLeaseAsync("app", "production", $"gw-{round}-{i}", ttl, now, None))));

            var winner = Assert.Single(Enumerable.Range(0, Writers), i => won[i]);
            Assert.Equal($"gw-{round}-{winner}", (await Store.Rollouts.LeaseAsync("app", "production", None))!.Holder);

            // Nobody else gets it while it is held; once it expires, the next round starts from a free lease.
            time.Advance(ttl - TimeSpan.FromTicks(1));
            Assert.False(await Store.Rollouts.TryAcquireLeaseAsync("app", "production", "late", ttl, time.GetUtcNow(), None));
            time.Advance(TimeSpan.FromTicks(1));
        }
    }

    [Fact]
    public async Task RegisterAsync_SameDraftFromTwentyWriters_CreatedExactlyOnce()
    {
        var handles = await HandlesAsync(Writers);
        var draft = new ReleaseDraft { Id = "same", App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = DateTimeOffset.UnixEpoch };

        var results = await Task.WhenAll(handles.Select(store => Task.Run(() => store.Releases.RegisterAsync(draft, None))));

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(1, r.Release.Version));
        Assert.Single(await Store.Releases.ListAsync("app", None));
        Assert.Single(await Store.Releases.ProvenanceAsync("app", "same", None));
    }

    [Fact]
    public async Task TransitionAsync_TwentyConcurrentStarts_OneActiveRolloutAndOneCanary()
    {
        var revision = await RolloutStoreContract.SeedStableAsync(Store);
        var handles = await HandlesAsync(Writers);

        var started = await Task.WhenAll(handles.Select((store, i) => Task.Run(async () =>
        {
            var rollout = RolloutStoreContract.NewRollout($"r{i}") with { Seed = $"seed-{i}" };
            try
            {
                await store.Rollouts.TransitionAsync(RolloutStoreContract.Transition(rollout, 0, revision, new CanaryState("canary-id", 1, rollout.Seed), RolloutEventKinds.Started), None);
                return rollout.Id;
            }
            catch (PolicyException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(started, id => id is not null);
        var active = Assert.Single(await Store.Rollouts.ListActiveAsync(None));
        Assert.Equal(winner, active.Id);
        Assert.Equal(active.Seed, (await Store.Environments.GetAsync("app", "production", None)).Canary!.Seed);
        Assert.Equal(revision + 1, await Store.Environments.GetRevisionAsync("app", "production", None));
    }
}
