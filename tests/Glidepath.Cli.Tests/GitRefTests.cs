using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

public sealed class GitRefTests
{

    private static TempDir Repo() => TestGit.SampleRepo(".glidepath/\n");

    [Fact]
    public async Task Create_InCleanWorkTree_RecordsCommitNotDirty_ThenDirtyAfterEdit()
    {
        using var dir = Repo();
        Environment.SetEnvironmentVariable("GLIDEPATH_ACTOR", null);

        var clean = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--format", "json");
        dir.Write("agent/handoff.md", "changed\n");
        var dirty = await CliRunner.RunAsync("release", "create", "--manifest", dir.Path, "--format", "json");

        var c = JsonDocument.Parse(clean.Stdout).RootElement.GetProperty("release");
        var d = JsonDocument.Parse(dirty.Stdout).RootElement.GetProperty("release");
        Assert.Matches("^[0-9a-f]{40}$", c.GetProperty("git_commit").GetString());
        Assert.False(c.GetProperty("dirty").GetBoolean());
        Assert.True(d.GetProperty("dirty").GetBoolean());
    }

    [Fact]
    public async Task GitRef_BuildsFromRevision_WithoutTouchingWorkTree()
    {
        using var dir = Repo();
        var promptBefore = dir.Read("prompts/system.md");
        dir.Write("prompts/system.md", promptBefore.Replace("3 to 5 business days", "2 to 4 business days", StringComparison.Ordinal));

        var diff = await CliRunner.RunAsync("release", "diff", "git:HEAD", "working", "--manifest", dir.Path);
        var create = await CliRunner.RunAsync("release", "show", "git:HEAD", "--manifest", dir.Path, "--format", "json");

        Assert.True(diff.ExitCode == 0, diff.Stderr);
        Assert.Contains("-- Shipping times: standard shipping takes 3 to 5 business days", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("+- Shipping times: standard shipping takes 2 to 4 business days", diff.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 to 5 business days", JsonDocument.Parse(create.Stdout).RootElement.GetProperty("system_prompt").GetString(), StringComparison.Ordinal);
        Assert.Contains("2 to 4 business days", dir.Read("prompts/system.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitRef_UnknownRevision_Exit2()
    {
        using var dir = Repo();

        var r = await CliRunner.RunAsync("release", "show", "git:no-such-branch", "--manifest", dir.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("git revision 'no-such-branch' does not exist", r.Stderr, StringComparison.Ordinal);
    }
}
