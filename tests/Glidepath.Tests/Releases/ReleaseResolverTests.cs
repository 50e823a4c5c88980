using Glidepath.Releases;
using Glidepath.Tests.Evals.Runs;

namespace Glidepath.Tests.Releases;

public sealed class ReleaseResolverTests
{
    [Fact]
    public async Task RegisterAsync_WorkingTreeEditedAfterResolving_RegistersTheReleaseResolved()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var resolver = new ReleaseResolver(app.Manifest, app.Store, app.Time);
        var resolved = await resolver.ResolveRefAsync("working", CancellationToken.None);
        app.EditPrompt(p => p + "Edited after the release was checked.\n");

        var registered = await resolver.RegisterAsync(resolved, CancellationToken.None);

        Assert.Equal(0, resolved.Release.Version);
        Assert.Equal(resolved.Release.Id, registered.Id);
        Assert.Equal(1, registered.Version);
        Assert.Equal(resolved.Release.CanonicalJson, (await app.Store.Releases.GetByVersionAsync("shop", 1, CancellationToken.None))!.CanonicalJson);
    }

    [Fact]
    public async Task ResolveRefAsync_WorkingContentStored_IsTheStoredReleaseAndRegistersAsIs()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        var resolver = new ReleaseResolver(app.Manifest, app.Store, app.Time);

        var resolved = await resolver.ResolveRefAsync(" working ", CancellationToken.None);
        var registered = await resolver.RegisterAsync(resolved, CancellationToken.None);

        Assert.Equal(1, resolved.Release.Version);
        Assert.NotNull(resolved.Draft);
        Assert.Equal(v1.Id, registered.Id);
        Assert.Equal(1, registered.Version);
    }

    [Fact]
    public async Task ResolveRefAsync_StoredRef_HasNoDraft()
    {
        await using var app = await EvalTestApp.CreateAsync();
        var v1 = await app.RegisterAsync();
        var resolver = new ReleaseResolver(app.Manifest, app.Store, app.Time);

        var resolved = await resolver.ResolveRefAsync("v1", CancellationToken.None);

        Assert.Null(resolved.Draft);
        Assert.Equal(v1.Id, (await resolver.RegisterAsync(resolved, CancellationToken.None)).Id);
    }
}
