using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

public sealed class InitCommandTests
{
    [Fact]
    public async Task Init_EmptyFolder_CopiesSampleThatValidates()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target);
        var create = await CliRunner.RunAsync("release", "create", "--manifest", target);

        Assert.Equal(0, init.ExitCode);
        Assert.True(File.Exists(Path.Combine(target, "evals", "support.jsonl")));
        Assert.Equal(0, create.ExitCode);
    }

    [Fact]
    public async Task Init_EmptyFolder_WritesGitignoreThatKeepsTheStoreOutOfGit()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target);

        Assert.Equal(0, init.ExitCode);
        Assert.Contains(".glidepath/", File.ReadAllLines(Path.Combine(target, ".gitignore")));
    }

    [Fact]
    public async Task Init_FolderWithManifest_Refused()
    {
        using var dir = TempDir.WithSample();

        var r = await CliRunner.RunAsync("init", dir.Path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("already has a glidepath.yaml", r.Stderr, StringComparison.Ordinal);
    }
}
