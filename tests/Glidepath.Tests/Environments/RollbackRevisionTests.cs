using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Releases;
using Glidepath.Storage.InMemory;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

/// <summary>
/// Rollback is "one step back from whatever is stable now": acting on a view that is no longer true takes a second
/// step nobody saw. With the revision the operator looked at, a stale rollback is refused, saying what changed.
/// </summary>
public sealed class RollbackRevisionTests
{
    [Fact]
    public async Task Rollback_TwoOperatorsWhoBothSawV3_OnlyTheFirstRollsBack_TheSecondIsToldWhatChanged()
    {
        var (service, store, _) = await ProductionWithThreeReleasesAsync();
        var seen = (await store.Environments.GetAsync("app", "production", default)).Revision;

        var first = await service.RollbackAsync("production", null, "token:alice", "v3 is bad", default, seen);
        var ex = await Assert.ThrowsAsync<PolicyException>(() => service.RollbackAsync("production", null, "token:bob", "v3 is bad too", default, seen));

        Assert.Contains("production: v3 → v2", first.Summary, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Refused, ex.Kind);
        Assert.Contains($"revision {seen}, now {seen + 1}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rollback v3 → v2 by token:alice", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(\"v3 is bad\")", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was rolled back by this request", ex.Message, StringComparison.Ordinal);
        var state = await store.Environments.GetAsync("app", "production", default);
        Assert.Equal((seen + 1, "id2"), (state.Revision, state.StableReleaseId));
    }

    [Fact]
    public async Task Rollback_AfterAChangeThatLeftTheStable_StillRollsBack_ARevisionAheadIsBadInput()
    {
        // A freeze (like a controller's step) moves the revision but not what a rollback acts on: an emergency
        // rollback confirmed on a page a step old must not be refused for it.
        var (service, store, _) = await ProductionWithThreeReleasesAsync();
        var seen = (await store.Environments.GetAsync("app", "production", default)).Revision;
        await service.FreezeAsync("production", "ana", "incident", default);

        var ahead = await Assert.ThrowsAsync<BadInputException>(() => service.RollbackAsync("production", null, "bob", null, default, seen + 5));
        var outcome = await service.RollbackAsync("production", null, "bob", "v3 bad", default, seen);

        Assert.Contains("is ahead of environment 'production'", ahead.Message, StringComparison.Ordinal);
        Assert.Contains("v3 → v2", outcome.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollback_WithoutARevision_StillStepsBackEachTime()
    {
        var (service, store, _) = await ProductionWithThreeReleasesAsync();

        var first = await service.RollbackAsync("production", null, "ana", null, default);
        var second = await service.RollbackAsync("production", null, "ana", null, default);

        Assert.Contains("v3 → v2", first.Summary, StringComparison.Ordinal);
        Assert.Contains("v2 → v1", second.Summary, StringComparison.Ordinal);
        var state = await store.Environments.GetAsync("app", "production", default);
        Assert.Equal("id1", state.StableReleaseId);
    }

    /// <summary>production: v1 deployed, then v2, then v3 (no promotion path), each recorded in the history.</summary>
    private static async Task<(EnvironmentService Service, InMemoryStore Store, Release[] Releases)> ProductionWithThreeReleasesAsync()
    {
        var store = new InMemoryStore();
        var manifest = Manifest(new Glidepath.Manifests.EnvironmentSpec { Name = "production" });
        var releases = new Release[3];
        for (var i = 0; i < 3; i++)
        {
            releases[i] = (await store.Releases.RegisterAsync(new ReleaseDraft { Id = $"id{i + 1}", App = "app", CanonicalJson = $"{{\"n\":{i}}}", Author = "ana", CreatedAt = T0 }, default)).Release;
        }

        var service = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, TimeProvider.System);
        foreach (var release in releases)
        {
            await service.DeployAsync("production", release, "ana", null, default);
        }

        return (service, store, releases);
    }
}
