using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// Newcomer trial L7: an aborted rollout was exit 0 for <c>rollout status</c> and 1 for <c>rollout status --watch</c>, and
/// an environment with no rollout ever was 4 ("refused by policy") for a read. One table now, in the command's help.
/// </summary>
public sealed class RolloutStatusExitCodeTests
{
    [Fact]
    public async Task Status_AbortedRollout_Exit1WithAndWithoutWatch()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");

        var (once, _, _) = await app.RunAsync("rollout", "status", "--env", "production");
        var (watched, _, _) = await app.RunAsync("rollout", "status", "--env", "production", "--watch");

        Assert.Equal(ExitCodes.Negative, once);
        Assert.Equal(ExitCodes.Negative, watched);
    }

    [Fact]
    public async Task Status_RolledBackRollout_Exit1WithAndWithoutWatch()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollback", "--env", "production", "--reason", "bad answers");

        var (once, _, _) = await app.RunAsync("rollout", "status", "--env", "production");
        var (watched, _, _) = await app.RunAsync("rollout", "status", "--env", "production", "--watch");

        Assert.Equal(ExitCodes.Negative, once);
        Assert.Equal(ExitCodes.Negative, watched);
    }

    [Fact]
    public async Task Status_ActiveRollout_Exit0()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.True(code == ExitCodes.Ok, stderr);
    }

    [Fact]
    public async Task Status_NoRolloutEver_Exit2NotARefusal()
    {
        await using var app = await RolloutCliTests.ReadyAsync();

        var (once, _, stderr) = await app.RunAsync("rollout", "status", "--env", "production");
        var (watched, _, _) = await app.RunAsync("rollout", "status", "--env", "production", "--watch");

        Assert.Equal(ExitCodes.BadInput, once);
        Assert.Equal(ExitCodes.BadInput, watched);
        Assert.Contains("environment 'production' has had no rollout; start one with: glidepath rollout start REF --env production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusHelp_ListsTheExitCodes()
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (_, help, _) = await app.RunAsync("rollout", "status", "--help");

        Assert.Contains("1  the rollout was rolled back (by the judge or by hand) or aborted", help, StringComparison.Ordinal);
        Assert.Contains("2  the environment has had no rollout", help, StringComparison.Ordinal);
    }
}
