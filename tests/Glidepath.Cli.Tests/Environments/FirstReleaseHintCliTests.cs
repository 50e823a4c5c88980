using Glidepath.Errors;

namespace Glidepath.Cli.Tests.Environments;

/// <summary>
/// Newcomer trial L1: 'rollout start' on an empty production said the first release goes in with 'glidepath promote v1
/// --env production', which the promotion path then refused (v1 had never been stable in staging). The hint gives the
/// commands that work, in order, and each of them does.
/// </summary>
public sealed class FirstReleaseHintCliTests
{
    [Fact]
    public async Task RolloutStart_EmptyProductionNothingOnStaging_NamesDeployToStagingThenPromoteAndBothWork()
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v1", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("the first release goes in with: glidepath deploy v1 --env staging, then glidepath promote v1 --env production", stderr, StringComparison.Ordinal);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");
        Assert.Equal("v1", await app.StableAsync("production"));
    }

    [Fact]
    public async Task RolloutStart_EmptyProductionReleaseAlreadyStableOnStaging_NamesOnlyThePromote()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v1", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("the first release goes in with: glidepath promote v1 --env production", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("--env staging", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShadowStart_EmptyProductionNothingOnStaging_NamesDeployToStagingThenPromote()
    {
        await using var app = await EnvApp.CreateAsync(1);

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "v1", "--env", "production", "--rate", "0.1");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("the first release goes in with: glidepath deploy v1 --env staging, then glidepath promote v1 --env production", stderr, StringComparison.Ordinal);
    }
}
