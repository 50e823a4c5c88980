using System.Globalization;
using Glidepath.Releases;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Releases: numbered per app, never changed, with one provenance record per distinct registration.</summary>
public abstract class ReleaseStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static ReleaseDraft Draft(string id, string app = "app") => new()
    {
        Id = id,
        App = app,
        CanonicalJson = $"{{\"x\":\"{id}\"}}",
        Author = "tester",
        CreatedAt = DateTimeOffset.Parse("2026-11-26T10:00:00Z", CultureInfo.InvariantCulture),
        GitCommit = "abc",
        Dirty = true,
        Message = "m",
    };

    [Fact]
    public async Task Register_NewContent_NumbersVersionsPerApp()
    {
        var (a, createdA, _) = await Store.Releases.RegisterAsync(Draft("aaa"), None);
        var (b, _, _) = await Store.Releases.RegisterAsync(Draft("bbb"), None);
        var (other, _, _) = await Store.Releases.RegisterAsync(Draft("aaa", app: "other"), None);

        Assert.True(createdA);
        Assert.Equal((1, 2, 1), (a.Version, b.Version, other.Version));
        Assert.Equal("v2", b.Name);
    }

    [Fact]
    public async Task Register_NewContent_ReadBackAsRegistered()
    {
        var draft = Draft("abc123") with { CreatedAt = new DateTimeOffset(2026, 11, 26, 12, 30, 15, 123, TimeSpan.FromHours(2)), GitCommit = null, Dirty = false, Message = null };

        var (registered, _, _) = await Store.Releases.RegisterAsync(draft, None);
        var read = await Store.Releases.GetByIdAsync("app", "abc123", None);

        Assert.Equal(registered, read);
        Assert.Equal((draft.CanonicalJson, draft.Author, draft.CreatedAt), (read!.CanonicalJson, read.Author, read.CreatedAt));
        Assert.Null(read.GitCommit);
        Assert.Null(read.Message);
    }

    [Fact]
    public async Task Register_SameContentTwice_ReturnsExisting()
    {
        var (first, _, _) = await Store.Releases.RegisterAsync(Draft("aaa"), None);

        var (second, created, _) = await Store.Releases.RegisterAsync(Draft("aaa") with { Message = "again" }, None);

        Assert.False(created);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal("m", second.Message);
        Assert.Single(await Store.Releases.ListAsync("app", None));
    }

    [Fact]
    public async Task Register_SameContentFromCleanCommit_AppendsProvenanceAndKeepsTheRelease()
    {
        await Store.Releases.RegisterAsync(Draft("aaa"), None);

        var (release, created, added) = await Store.Releases.RegisterAsync(Draft("aaa") with { GitCommit = "def", Dirty = false, Message = "committed" }, None);
        var records = await Store.Releases.ProvenanceAsync("app", "aaa", None);

        Assert.False(created);
        Assert.True(release.Dirty);
        Assert.Equal(2, added!.Sequence);
        Assert.Equal([("abc", true, "m"), ("def", false, "committed")], records.Select(p => (p.GitCommit!, p.Dirty, p.Message!)));
        Assert.Equal([1, 2], records.Select(p => p.Sequence));
    }

    [Fact]
    public async Task Register_SameProvenanceTwice_AddsNoRecord()
    {
        var (_, _, first) = await Store.Releases.RegisterAsync(Draft("aaa"), None);

        var (_, _, second) = await Store.Releases.RegisterAsync(Draft("aaa") with { CreatedAt = DateTimeOffset.UnixEpoch }, None);

        Assert.Equal(1, first!.Sequence);
        Assert.Null(second);
        Assert.Single(await Store.Releases.ProvenanceAsync("app", "aaa", None));
    }

    [Fact]
    public async Task Lookup_ByVersionIdAndPrefix_FindsRelease()
    {
        await Store.Releases.RegisterAsync(Draft("abcdef1234"), None);
        await Store.Releases.RegisterAsync(Draft("abcdef9999"), None);

        Assert.Equal("abcdef1234", (await Store.Releases.GetByVersionAsync("app", 1, None))!.Id);
        Assert.Equal(2, (await Store.Releases.GetByIdAsync("app", "abcdef9999", None))!.Version);
        Assert.Equal(2, (await Store.Releases.FindByIdPrefixAsync("app", "abcdef", None)).Count);
        Assert.Single(await Store.Releases.FindByIdPrefixAsync("app", "abcdef12", None));
        Assert.Null(await Store.Releases.GetByVersionAsync("app", 9, None));
    }

    [Fact]
    public async Task Lookup_OtherApp_FindsNothing()
    {
        await Store.Releases.RegisterAsync(Draft("aaa"), None);

        Assert.Null(await Store.Releases.GetByIdAsync("other", "aaa", None));
        Assert.Null(await Store.Releases.GetByVersionAsync("other", 1, None));
        Assert.Empty(await Store.Releases.FindByIdPrefixAsync("other", "a", None));
        Assert.Empty(await Store.Releases.ListAsync("other", None));
        Assert.Empty(await Store.Releases.ProvenanceAsync("other", "aaa", None));
    }

    [Fact]
    public async Task Register_ConcurrentWritersOnSeveralHandles_AllSucceedWithDistinctVersions()
    {
        var handles = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Factory.OpenAgainAsync(Store)));

        var results = await Task.WhenAll(handles.Select((s, i) => Task.Run(() => s.Releases.RegisterAsync(Draft($"id{i}"), None))));

        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Release.Version).Order());
    }
}
