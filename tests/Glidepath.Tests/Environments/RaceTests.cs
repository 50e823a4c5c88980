using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage;
using Glidepath.Storage.InMemory;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

/// <summary>
/// A change that loses a race: the store's compare-and-swap refuses it because another change was written between its
/// read and its write. The other change is made by a store that writes it just before the first write, every time.
/// </summary>
public sealed class RaceTests
{
    [Fact]
    public async Task Freeze_LosingARaceToAnotherFreeze_IsAlreadyFrozen_NotARefusal()
    {
        var (service, store) = await ProductionAsync(state => state with { Frozen = true, FrozenReason = "incident 9" }, "freeze");

        var outcome = await service.FreezeAsync("production", "bob", "incident 9, me too", default);

        Assert.Null(outcome.Event);
        Assert.Contains("already frozen (\"incident 9\"); nothing changed", outcome.Summary, StringComparison.Ordinal);
        Assert.Single(await store.HistoryAsync("app", "production", default), e => e.Kind == "freeze");
    }

    [Fact]
    public async Task Rollback_LosingARaceToAnotherRollback_RefusedNamingIt_NothingMoreRolledBack()
    {
        var (service, store) = await ProductionAsync(state => state with { StableReleaseId = "id2" }, "rollback", from: "id3", to: "id2");

        var ex = await Assert.ThrowsAsync<PolicyException>(() => service.RollbackAsync("production", null, "bob", "v3 bad", default));

        Assert.Contains("rollback v3 → v2 by other", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was rolled back by this request", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("re-run the command", ex.Message, StringComparison.Ordinal);
        Assert.Equal("id2", (await store.GetAsync("app", "production", default)).StableReleaseId);
    }

    [Fact]
    public async Task Rollback_LosingARaceToAChangeThatLeavesTheStable_IsRetriedAndRollsBack()
    {
        // A freeze (or a controller's step) between the read and the write does not change what the rollback acts on.
        var (service, store) = await ProductionAsync(state => state with { Frozen = true, FrozenReason = "incident" }, "freeze");

        var outcome = await service.RollbackAsync("production", null, "bob", "v3 bad", default);

        Assert.Contains("v3 → v2", outcome.Summary, StringComparison.Ordinal);
        Assert.Equal("id2", (await store.GetAsync("app", "production", default)).StableReleaseId);
    }

    [Fact]
    public async Task Rollback_LosingARaceToARolloutStart_RefusedNamingIt_TheStableStays()
    {
        // The rollback read no canary, so it was to move the stable back; a canary started in between, and the same
        // rollback would now end a canary nobody looked at. A canary that ends in between is the same case turned round.
        var (service, store) = await ProductionAsync(state => state with { Canary = new CanaryState("id2", 5, "seed") }, "rollout_started", from: "id2", to: "id3");

        var ex = await Assert.ThrowsAsync<PolicyException>(() => service.RollbackAsync("production", null, "bob", "v3 bad", default));

        Assert.Contains("rollout_started canary v2 vs stable v3 by other", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was rolled back by this request", ex.Message, StringComparison.Ordinal);
        var state = await store.GetAsync("app", "production", default);
        Assert.Equal(("id3", "id2"), (state.StableReleaseId, state.Canary?.ReleaseId));
    }

    /// <summary>production with id1, id2, id3 deployed in turn; then the store makes <paramref name="race"/> win every write race.</summary>
    private static async Task<(EnvironmentService Service, RacingStore Store)> ProductionAsync(Func<EnvironmentState, EnvironmentState> race, string kind, string? from = null, string? to = null)
    {
        var inner = new InMemoryStore();
        var store = new RacingStore(inner.Environments);
        var service = new EnvironmentService(Manifest(new Glidepath.Manifests.EnvironmentSpec { Name = "production" }), store, inner.GateVerdicts, inner.Releases, inner.Shadows, TimeProvider.System);
        foreach (var id in new[] { "id1", "id2", "id3" })
        {
            var release = (await inner.Releases.RegisterAsync(new Glidepath.Releases.ReleaseDraft { Id = id, App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = T0 }, default)).Release;
            await service.DeployAsync("production", release, "ana", null, default);
        }

        store.Race = (race, kind, from, to);
        return (service, store);
    }

    private sealed class RacingStore(IEnvironmentStore inner) : IEnvironmentStore
    {
        public (Func<EnvironmentState, EnvironmentState> Change, string Kind, string? From, string? To)? Race { get; set; }

        public Task<EnvironmentState> GetAsync(string app, string environment, CancellationToken cancellationToken) => inner.GetAsync(app, environment, cancellationToken);

        public Task<long> GetRevisionAsync(string app, string environment, CancellationToken cancellationToken) => inner.GetRevisionAsync(app, environment, cancellationToken);

        public async Task<EnvironmentState> ApplyAsync(EnvironmentChange change, CancellationToken cancellationToken)
        {
            if (Race is { } race)
            {
                Race = null;
                var current = await inner.GetAsync(change.App, change.Environment, cancellationToken);
                await inner.ApplyAsync(new EnvironmentChange
                {
                    App = change.App,
                    Environment = change.Environment,
                    ExpectedRevision = current.Revision,
                    NewState = race.Change(current),
                    Event = new EnvironmentEvent
                    {
                        App = change.App, Environment = change.Environment, Revision = current.Revision + 1, Kind = race.Kind, Actor = "other",
                        Time = T0, FromReleaseId = race.From, ToReleaseId = race.To, Reason = "first",
                    },
                }, cancellationToken);
            }

            return await inner.ApplyAsync(change, cancellationToken);
        }

        public Task<IReadOnlyList<EnvironmentEvent>> HistoryAsync(string app, string environment, CancellationToken cancellationToken) => inner.HistoryAsync(app, environment, cancellationToken);

        public Task<IReadOnlyList<EnvironmentState>> ListAsync(string app, CancellationToken cancellationToken) => inner.ListAsync(app, cancellationToken);
    }
}
