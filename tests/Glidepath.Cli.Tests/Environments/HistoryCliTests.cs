using Glidepath.Cli.Tests.Monitoring;
using Glidepath.Environments;

namespace Glidepath.Cli.Tests.Environments;

public sealed class HistoryCliTests
{
    [Fact]
    public void Releases_RolloutStarted_NamesCanaryAndStableWithoutAnArrow()
    {
        var e = Event("rollout_started", from: "44444444aaaa", to: "33333333bbbb");

        Assert.Equal("canary 44444444 vs stable 33333333", new EnvironmentViews([]).Event(e).ReleasesText);
    }

    [Fact]
    public void Releases_Promotion_IsAMove()
    {
        var e = Event("rollout_promoted", from: "33333333bbbb", to: "44444444aaaa");

        Assert.Equal("33333333 → 44444444", new EnvironmentViews([]).Event(e).ReleasesText);
    }

    [Fact]
    public void Releases_Drill_NamesWhatWasServedAndTheStableKeptWithoutAnArrow()
    {
        var e = Event("drill", from: "33333333bbbb", to: "44444444aaaa");

        Assert.Equal("served 44444444, stable 33333333 kept", new EnvironmentViews([]).Event(e).ReleasesText);
    }

    // A trial read "shadow_stop  v1 → v2+…" as v2 going live; a shadow moves nothing.
    [Theory]
    [InlineData("shadow_start")]
    [InlineData("shadow_stop")]
    public void Releases_Shadow_NamesTheShadowedReleaseAndTheStableWithoutAnArrow(string kind)
    {
        var e = Event(kind, from: "33333333bbbb", to: "44444444aaaa");

        var view = new EnvironmentViews([]).Event(e);
        Assert.Equal("shadow 44444444 vs stable 33333333", view.ReleasesText);
        Assert.False(view.MovesStable);
    }

    [Fact]
    public async Task Unfreeze_TwoHoursAfterFreeze_DetailsHoldTheDurationAndTheReason()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident 4711");
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.OkAsync("unfreeze", "--env", "production", "--reason", "resolved");

        var events = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray().ToList();
        var details = events.Single(e => e.GetProperty("kind").GetString() == "unfreeze").GetProperty("details");

        Assert.Equal(7200, details.GetProperty("was_frozen_for_seconds").GetDouble());
        Assert.False(details.TryGetProperty("was_frozen_for", out _));
        Assert.Equal("incident 4711", details.GetProperty("frozen_reason").GetString());
    }

    // Newcomer trial L8: the details were JSON only (in the dashboard raw, with a .NET TimeSpan); the text shows them as
    // key: value pairs.
    [Fact]
    public async Task History_Text_DetailsAsKeyValuePairs()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident 4711");
        app.Time.Advance(TimeSpan.FromSeconds(2.3));
        await app.OkAsync("unfreeze", "--env", "production", "--reason", "resolved");

        var (code, text, stderr) = await app.RunAsync("history", "--env", "production");

        Assert.True(code == 0, stderr);
        var row = text.Split('\n').Single(l => l.Contains("unfreeze", StringComparison.Ordinal));
        Assert.Contains("frozen reason: incident 4711", row, StringComparison.Ordinal);
        Assert.Contains("was frozen for: 2.3 s", row, StringComparison.Ordinal);
        Assert.Contains("frozen at: 20", row, StringComparison.Ordinal);
    }

    // Trial dash2 #4: a rollback during a rollout read "rollback  v2 → v1" though v1 was stable before and after, and its
    // details did not name the rollout it ended.
    [Fact]
    public async Task History_RollbackDuringARollout_SaysTheCanaryEndedAndNamesTheRollout()
    {
        await using var app = await Rollouts.RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollback", "--env", "production", "--reason", "by hand");

        var (code, text, stderr) = await app.RunAsync("history", "--env", "production");

        Assert.True(code == 0, stderr);
        var row = text.Split('\n').Single(l => l.Contains(" rollback ", StringComparison.Ordinal));
        Assert.Matches(@"canary v2\S* at 1% ended; all traffic to the stable v1", row);
        Assert.Matches(@"rollout id: ro-[0-9a-f]{12}", row);
        Assert.DoesNotContain("→", row, StringComparison.Ordinal);
    }

    // Text recorded before the printable-text rule (or by another tool) still reaches terminals: the CLI prints its
    // control characters as codes, so an escape sequence in a reason cannot erase or rewrite the history row.
    [Fact]
    public async Task History_TextWithControlCharactersInTheStore_PrintedAsCodes()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await using (var store = await Glidepath.Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            var current = await store.Environments.GetAsync("support-agent", "staging", CancellationToken.None);
            await store.Environments.ApplyAsync(new EnvironmentChange
            {
                App = "support-agent",
                Environment = "staging",
                ExpectedRevision = current.Revision,
                NewState = current with { Frozen = true, FrozenReason = "ok\u001b[2K\rfrozen by nobody" },
                Event = new EnvironmentEvent
                {
                    App = "support-agent", Environment = "staging", Revision = 0, Kind = "freeze",
                    Actor = "evil\u001b]0;title\u0007", Reason = "ok\u001b[2K\rfrozen by nobody", Time = DateTimeOffset.UtcNow,
                },
            }, CancellationToken.None);
        }

        var (code, stdout, stderr) = await app.RunAsync("history", "--env", "staging");
        var status = await app.RunAsync("status");

        Assert.True(code == 0, stderr);
        Assert.Contains("ok\\u001B[2K\\u000Dfrozen by nobody", stdout, StringComparison.Ordinal);
        Assert.Contains("evil\\u001B]0;title\\u0007", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout + status.Stdout);
        Assert.DoesNotContain('\u0007', stdout + status.Stdout);
    }

    private static EnvironmentEvent Event(string kind, string from, string to) => new()
    {
        App = "app",
        Environment = "production",
        Revision = 3,
        Kind = kind,
        Actor = "ci",
        Time = MonitorApp.Start,
        FromReleaseId = from,
        ToReleaseId = to,
    };
}
