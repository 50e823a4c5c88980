using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Environments;

public sealed class RollbackCliTests
{
    /// <summary>production: v1 (first), then v2 promoted with a passing verdict; v3 has passed its gate against v2.</summary>
    private static async Task<EnvApp> V2StableAndV3PassedAsync()
    {
        var app = await EnvApp.CreateAsync(3);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        await app.OkAsync("promote", "v2", "--env", "production");
        await app.SaveVerdictAsync("v3", "v2", "pass");
        return app;
    }

    /// <summary>production: v1 (first), then v2 and v3 promoted with passing verdicts.</summary>
    private static async Task<EnvApp> ThreePromotionsAsync()
    {
        var app = await V2StableAndV3PassedAsync();
        await app.OkAsync("promote", "v3", "--env", "production");
        return app;
    }

    [Fact]
    public async Task Rollback_AfterTwoPromotions_ReturnsToThePreviousRelease()
    {
        await using var app = await ThreePromotionsAsync();
        var result = await app.JsonAsync("rollback", "--env", "production", "--reason", "refunds regressed");
        Assert.Equal("v2", await app.StableAsync("production"));
        var ev = result.GetProperty("event");
        Assert.Equal(("rollback", "v3", "v2", "refunds regressed"), (ev.GetProperty("kind").GetString(), ev.GetProperty("from").GetProperty("name").GetString(), ev.GetProperty("to").GetProperty("name").GetString(), ev.GetProperty("reason").GetString()));

        // Again: v3 was rolled back from, so the next known-good is v1 (not v3).
        await app.OkAsync("rollback", "--env", "production");
        Assert.Equal("v1", await app.StableAsync("production"));

        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("no earlier known-good release", stderr, StringComparison.Ordinal);
    }

    // Two operators both looked at production at one revision and both confirmed a rollback: one step back, not two.
    [Fact]
    public async Task Rollback_ExpectRevision_TheSecondOfTwoWhoSawTheSameRevision_IsRefusedAndNothingMoves()
    {
        await using var app = await ThreePromotionsAsync();
        var seen = (await RevisionAsync(app, "production")).ToString(System.Globalization.CultureInfo.InvariantCulture);

        await app.OkAsync("rollback", "--env", "production", "--expect-revision", seen, "--reason", "first");
        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production", "--expect-revision", seen, "--reason", "second");
        var ahead = await app.RunAsync("rollback", "--env", "production", "--expect-revision", "999");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains($"environment 'production' changed since it was looked at (revision {seen}, now ", stderr, StringComparison.Ordinal);
        Assert.Contains("rollback v3 → v2", stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was rolled back by this request", stderr, StringComparison.Ordinal);
        Assert.Equal("v2", await app.StableAsync("production"));
        Assert.Equal(ExitCodes.BadInput, ahead.Code);
        Assert.Contains("expected revision 999 is ahead of environment 'production'", ahead.Stderr, StringComparison.Ordinal);
        Assert.Equal("v2", await app.StableAsync("production"));
    }

    // The refusal is read during an incident: it names commands that work and shows a rollout event as history does
    // ("canary v2 vs stable v3"), not as a move of the stable release ("v2 → v3").
    [Fact]
    public async Task Rollback_ExpectRevision_Refusal_NamesWorkingCommandsAndRolloutEventsAsHistoryDoes()
    {
        await using var app = await ThreePromotionsAsync();
        var seen = await RevisionAsync(app, "production");
        await using (var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
            await store.Environments.ApplyAsync(new EnvironmentChange
            {
                App = "support-agent",
                Environment = "production",
                ExpectedRevision = state.Revision,
                NewState = state,
                Event = new EnvironmentEvent
                {
                    App = "support-agent",
                    Environment = "production",
                    Revision = 0,
                    Kind = "rollout_resumed",
                    Actor = "ana",
                    Time = DateTimeOffset.UtcNow,
                    FromReleaseId = app.Ids["v2"],
                    ToReleaseId = app.Ids["v3"],
                },
            }, CancellationToken.None);
        }

        await app.OkAsync("rollback", "--env", "production", "--reason", "first");
        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production", "--expect-revision", seen.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("rollout_resumed canary v2 vs stable v3 by ana", stderr, StringComparison.Ordinal);
        Assert.Contains("rollback v3 → v2", stderr, StringComparison.Ordinal);
        Assert.Contains("(glidepath status; glidepath history --env production)", stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, (await app.RunAsync("history", "--env", "production")).Code);
    }

    /// <summary>production: v1, then v2 promoted (stable), and a rollout of v3 at its first step.</summary>
    private static async Task<EnvApp> CanaryOverStableAsync()
    {
        var app = await V2StableAndV3PassedAsync();
        await app.OkAsync("rollout", "start", "v3", "--env", "production", "--min-requests", "50");
        return app;
    }

    // The on-call saw canary v3 over stable v2 and rolled back to end the canary; by then the judge, an abort or a
    // promotion had ended it. The rollback was meant for that canary: it is refused, not turned into v2 → v1.
    [Theory]
    [InlineData("judge", "rollout_rolled_back canary v3 vs stable v2 by controller", "v2")]
    [InlineData("abort", "rollout_aborted canary v3 vs stable v2 by", "v2")]
    [InlineData("promote", "rollout_promoted v2 → v3 by", "v3")]
    public async Task Rollback_ExpectRevision_CanaryEndedSince_IsRefusedAndTheStableStays(string ending, string named, string stable)
    {
        await using var app = await CanaryOverStableAsync();
        var seen = (await RevisionAsync(app, "production")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (ending)
        {
            case "judge":
                await Rollouts.RolloutCliTests.TrafficAsync(app, "v3", Glidepath.Routing.Arm.Canary, 600, errorRate: 0.3);
                await Rollouts.RolloutCliTests.TrafficAsync(app, "v2", Glidepath.Routing.Arm.Stable, 3000, errorRate: 0);
                await Rollouts.RolloutCliTests.TickAsync(app);
                break;
            case "abort":
                await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");
                break;
            default:
                await app.OkAsync("rollout", "promote", "--env", "production", "--full", "--reason", "verified");
                break;
        }

        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production", "--expect-revision", seen, "--reason", "v3 canary is failing, stop it");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains($"environment 'production' changed since it was looked at (revision {seen}, now ", stderr, StringComparison.Ordinal);
        Assert.Contains(named, stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was rolled back by this request", stderr, StringComparison.Ordinal);
        Assert.Equal(stable, await app.StableAsync("production"));
        Assert.DoesNotContain((await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "rollback");
    }

    // The operator saw v2 stable with no canary (a rollback would move the stable back); a rollout started since, so the
    // same rollback would now end a canary nobody looked at: refused. Without the guard, rollback acts on what is there now.
    [Fact]
    public async Task Rollback_ExpectRevision_CanaryStartedSince_IsRefused_UnguardedStillActsOnTheStateNow()
    {
        await using var app = await EnvApp.CreateAsync(3);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        await app.OkAsync("promote", "v2", "--env", "production");
        var seen = (await RevisionAsync(app, "production")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.SaveVerdictAsync("v3", "v2", "pass");
        await app.OkAsync("rollout", "start", "v3", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production", "--expect-revision", seen);
        var unguarded = await app.JsonAsync("rollback", "--env", "production", "--reason", "end it");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("rollout_started", stderr, StringComparison.Ordinal);
        Assert.Equal("v2", await app.StableAsync("production"));
        Assert.Equal(("v3", "v2"), (unguarded.GetProperty("event").GetProperty("from").GetProperty("name").GetString(), unguarded.GetProperty("event").GetProperty("to").GetProperty("name").GetString()));
        Assert.True(unguarded.GetProperty("event").GetProperty("details").TryGetProperty("canary_cleared", out _));
    }

    private static async Task<long> RevisionAsync(EnvApp app, string environment) =>
        (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == environment).GetProperty("revision").GetInt64();

    [Fact]
    public async Task Rollback_To_WalksBackFurther()
    {
        await using var app = await ThreePromotionsAsync();
        var result = await app.JsonAsync("rollback", "--env", "production", "--to", "v1");
        Assert.Equal("v1", await app.StableAsync("production"));
        Assert.Equal(2, result.GetProperty("event").GetProperty("details").GetProperty("steps_back").GetInt32());
    }

    [Fact]
    public async Task Rollback_ToAReleaseRolledBackFromOrNeverStable_Exits4()
    {
        await using var app = await ThreePromotionsAsync();
        await app.OkAsync("rollback", "--env", "production");
        var (code, _, stderr) = await app.RunAsync("rollback", "--env", "production", "--to", "v3");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("v3 was rolled back from in production", stderr, StringComparison.Ordinal);
        Assert.Equal("v2", await app.StableAsync("production"));
    }

    [Fact]
    public async Task Freeze_RefusesDeployAndPromote_AcceptsRollback()
    {
        await using var app = await ThreePromotionsAsync();
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident 4711");
        await app.OkAsync("freeze", "--env", "staging", "--reason", "incident 4711");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production", "--force", "--reason", "try");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("frozen (\"incident 4711\")", stderr, StringComparison.Ordinal);
        Assert.Contains("glidepath unfreeze --env production", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await app.RunAsync("deploy", "v1", "--env", "staging");
        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("deploy is refused while frozen", stderr, StringComparison.Ordinal);

        await app.OkAsync("rollback", "--env", "production");
        Assert.Equal("v2", await app.StableAsync("production"));

        var status = await app.JsonAsync("status");
        var prod = status.GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");
        Assert.True(prod.GetProperty("frozen").GetBoolean());
        Assert.Equal("incident 4711", prod.GetProperty("frozen_reason").GetString());

        await app.OkAsync("unfreeze", "--env", "staging", "--reason", "resolved");
        await app.OkAsync("deploy", "v1", "--env", "staging");
        var kinds = (await app.JsonAsync("history", "--env", "staging")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString());
        Assert.Equal(["deploy", "deploy", "deploy", "freeze", "unfreeze", "deploy"], kinds);
    }

    [Fact]
    public async Task Freeze_WithoutReason_Exits2()
    {
        await using var app = await EnvApp.CreateAsync(1);
        var (code, _, _) = await app.RunAsync("freeze", "--env", "production");
        Assert.Equal(ExitCodes.BadInput, code);
    }
}
