namespace Glidepath.Cli.Tests.Environments;

/// <summary>
/// Newcomer trial L12: on a frozen production, deploy gave only the promotion-path refusal, promote only the freeze, and
/// the missing gate came after unfreezing. Every refusal is listed at once now, as rollout start lists its prerequisites.
/// </summary>
public sealed class FrozenRefusalsCliTests
{
    /// <summary>v1 stable in production, v2 stable in staging with no gate verdict against v1; production frozen.</summary>
    private static async Task<EnvApp> FrozenWithoutGateAsync()
    {
        var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident 4711");
        return app;
    }

    [Fact]
    public async Task Deploy_FrozenEnvironmentWithAPromotionPath_ListsBothRefusals()
    {
        await using var app = await FrozenWithoutGateAsync();

        var (code, _, stderr) = await app.RunAsync("deploy", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("cannot deploy v2 to production:", stderr, StringComparison.Ordinal);
        Assert.Contains("  - environment 'production' has a promotion path (requires: staging), so deploy is refused there", stderr, StringComparison.Ordinal);
        Assert.Contains("  - environment 'production' is frozen (\"incident 4711\"): deploy is refused while frozen", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_FrozenEnvironmentAndNoGateVerdict_ListsTheFreezeAndTheGate()
    {
        await using var app = await FrozenWithoutGateAsync();

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("cannot promote v2 to production:", stderr, StringComparison.Ordinal);
        Assert.Contains("  - environment 'production' is frozen (\"incident 4711\"): promote is refused while frozen", stderr, StringComparison.Ordinal);
        Assert.Contains("  - no passing gate verdict for v2 against production's stable v1; run: glidepath gate v2 --baseline env:production", stderr, StringComparison.Ordinal);
        Assert.Contains("a freeze is not overridden: unfreeze first", stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await app.StableAsync("production"));
    }

    [Fact]
    public async Task RolloutStart_FrozenEnvironmentAndNoGateVerdict_ListsTheFreezeAndTheGate()
    {
        await using var app = await FrozenWithoutGateAsync();

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("cannot start a rollout of v2 in production:", stderr, StringComparison.Ordinal);
        Assert.Contains("  - environment 'production' is frozen (\"incident 4711\"): rollout start is refused while frozen", stderr, StringComparison.Ordinal);
        Assert.Contains("  - no passing gate verdict for v2 against production's stable v1; run: glidepath gate v2 --baseline env:production", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_FrozenEnvironmentOtherwiseReady_SaysTheFreezeAlone()
    {
        await using var app = await FrozenWithoutGateAsync();
        await app.SaveVerdictAsync("v2", "v1", "pass");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("error: environment 'production' is frozen (\"incident 4711\"): promote is refused while frozen", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("  - ", stderr, StringComparison.Ordinal);
    }
}
