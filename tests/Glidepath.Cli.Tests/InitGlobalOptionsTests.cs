using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests;

/// <summary>
/// Newcomer trial L3: <c>init a3 --manifest a3m.yaml</c> wrote a3/glidepath.yaml and ignored the option, <c>init --server</c>
/// succeeded silently, and <c>init --help</c> listed --manifest, --store, --server and --token as if they applied.
/// </summary>
public sealed class InitGlobalOptionsTests
{
    [Theory]
    [InlineData("--manifest", "elsewhere.yaml")]
    [InlineData("--store", "other.db")]
    [InlineData("--server", "http://127.0.0.1:9")]
    [InlineData("--token", "gpt_x")]
    public async Task Init_GlobalOptionItDoesNotUse_Exit2NamingItAndWritesNothing(string option, string value)
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("init", target, option, value);

        Assert.Equal(2, init.ExitCode);
        Assert.Contains($"error: 'init' does not use {option}:", init.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task Init_GlobalOptionBeforeTheCommand_IsRefusedToo()
    {
        using var dir = new TempDir();
        var target = dir.File("agent");

        var init = await CliRunner.RunAsync("--manifest", dir.File("m.yaml"), "init", target);

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("'init' does not use --manifest", init.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(target));
    }

    [Fact]
    public async Task InitHelp_ListsOnlyTheOptionsItUses()
    {
        var help = await CliRunner.RunAsync("init", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--app", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--format", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--help", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--manifest", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--store", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--server", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("--token", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherCommandsHelp_StillListTheGlobalOptions()
    {
        var help = await CliRunner.RunAsync("release", "create", "--help");

        Assert.Contains("--manifest", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--server", help.Stdout, StringComparison.Ordinal);
    }
}
