using Glidepath.Cli.Commands;
using Glidepath.Cli.Tests.Monitoring;
using Glidepath.Environments;

namespace Glidepath.Cli.Tests.Environments;

public sealed class HistoryCliTests
{
    [Fact]
    public void Releases_RolloutStarted_NamesCanaryAndStableWithoutAnArrow()
    {
        var e = Event("rollout_started", from: "44444444aaaa", to: "33333333bbbb");

        Assert.Equal("canary 44444444 vs stable 33333333", HistoryCommand.Releases(e, new EnvironmentViews([])));
    }

    [Fact]
    public void Releases_Promotion_IsAMove()
    {
        var e = Event("rollout_promoted", from: "33333333bbbb", to: "44444444aaaa");

        Assert.Equal("33333333 → 44444444", HistoryCommand.Releases(e, new EnvironmentViews([])));
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

        Assert.Equal("02:00:00", details.GetProperty("was_frozen_for").GetString());
        Assert.Equal("incident 4711", details.GetProperty("frozen_reason").GetString());
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
