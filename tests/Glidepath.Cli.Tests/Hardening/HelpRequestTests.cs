using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// "glidepath help rollback --env staging" rolled staging back and "help freeze --env staging --reason x" froze it:
/// anything after the command name passed the command line through. Help shows the help and changes nothing.
/// </summary>
public sealed class HelpRequestTests
{
    [Theory]
    [InlineData(new[] { "help", "rollback", "--env", "staging" }, " rollback [options]")]
    [InlineData(new[] { "help", "freeze", "--env", "staging", "--reason", "just reading the help" }, " freeze [options]")]
    [InlineData(new[] { "help", "deploy", "v1", "--env", "staging" }, " deploy <REF> [options]")]
    [InlineData(new[] { "help", "rollout", "start", "v2", "--env", "staging", "--format", "json" }, " rollout start <REF> [options]")]
    [InlineData(new[] { "help", "--format", "json", "unfreeze", "--env", "staging" }, " unfreeze [options]")]
    public async Task Run_HelpWithArgumentsOrOptions_ShowsTheCommandsHelpAndChangesNothing(string[] args, string usage)
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("deploy", "v2", "--env", "staging");
        var before = await app.RunAsync("history", "--env", "staging", "--format", "json");

        var (code, stdout, stderr) = await app.RunAsync(args);

        Assert.True(code == 0, stderr);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        Assert.Contains(usage, stdout, StringComparison.Ordinal);
        Assert.Equal("", stderr);
        Assert.Equal(before, await app.RunAsync("history", "--env", "staging", "--format", "json"));
        Assert.Equal("v2", await app.StableAsync("staging"));
    }
}
