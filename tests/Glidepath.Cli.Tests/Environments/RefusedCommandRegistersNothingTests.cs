using Glidepath.Errors;

namespace Glidepath.Cli.Tests.Environments;

/// <summary>
/// Newcomer trial L2: a command that takes a release ref (working, git:REV) and is refused before it acts leaves no new
/// release behind. Each test edits the prompt so the working tree is new content, then checks the release count.
/// </summary>
public sealed class RefusedCommandRegistersNothingTests
{
    private static async Task<EnvApp> WithNewWorkingTreeAsync()
    {
        var app = await EnvApp.CreateAsync(1);
        await File.AppendAllTextAsync(Path.Combine(app.Dir, "prompts", "system.md"), "\nA change not registered yet.\n");
        return app;
    }

    private static async Task<int> ReleaseCountAsync(EnvApp app) => (await app.JsonAsync("release", "list")).GetArrayLength();

    [Fact]
    public async Task PromoteWorking_RefusedByThePromotionPath_Exit4NamesWorkingAndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();

        var (code, _, stderr) = await app.RunAsync("promote", "working", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("cannot promote working to production", stderr, StringComparison.Ordinal);
        Assert.Contains("working has never been the stable release of staging", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }

    [Fact]
    public async Task RolloutStartWorking_NoGateVerdict_Exit4AndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "working", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("cannot start a rollout of working in production", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }

    [Fact]
    public async Task RolloutStartWorking_BadSteps_Exit2AndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();

        var (code, _, _) = await app.RunAsync("rollout", "start", "working", "--env", "production", "--steps", "5,x");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }

    [Fact]
    public async Task ShadowStartWorking_NoStableRelease_Exit4AndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "working", "--env", "production", "--rate", "0.1");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("has no stable release whose requests a shadow could mirror", stderr, StringComparison.Ordinal);
        Assert.Contains("glidepath promote working --env production", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }

    [Fact]
    public async Task DrillCandidateWorking_NoGatewayThere_Exit3AndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();
        await app.OkAsync("deploy", "v1", "--env", "staging");

        // Port 9 (discard) has no listener on a test machine: the connection is refused at once.
        var (code, _, stderr) = await app.RunAsync("drill", "--env", "staging", "--gateway", "http://127.0.0.1:9", "--candidate", "working");

        Assert.Equal(ExitCodes.Operational, code);
        Assert.Contains("cannot reach a Glidepath gateway", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }

    [Fact]
    public async Task EvalRunWorking_ATagThatSelectsNoCase_Exit2AndRegistersNoRelease()
    {
        await using var app = await WithNewWorkingTreeAsync();

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--tag", "nosuchtag");

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("no cases to run with the given --tag", stderr, StringComparison.Ordinal);
        Assert.Equal(1, await ReleaseCountAsync(app));
    }
}
