using Glidepath.Releases;

namespace Glidepath.Cli.Tests;

public sealed class CliReleaseResolverTests
{
    [Fact]
    public async Task ResolveCheckedAsync_WorkingTreeEditedDuringTheCheck_RegistersTheReleaseChecked()
    {
        using var dir = TempDir.WithSample();
        var env = new CliEnvironment(TextWriter.Null, TextWriter.Null, IsTerminal: false);
        var parse = CliApp.Build(env).Parse(["status", "--manifest", dir.Path, "--store", dir.File(".glidepath/test.db")]);
        await using var ctx = new CliContext(parse, env);
        var store = await ctx.StoreAsync(CancellationToken.None);
        Release? checkedRelease = null;

        var registered = await ctx.ResolveCheckedAsync(store, "working", release =>
        {
            checkedRelease = release;
            dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nEdited while the check ran.\n");
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.NotNull(checkedRelease);
        Assert.Equal(checkedRelease.Id, registered.Id);
        Assert.Equal(1, registered.Version);
    }
}
