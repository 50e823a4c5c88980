using System.Text.Json;
using Glidepath.Routing;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// Trial newcomer2 M3: a plan whose step cannot finish within max_duration at the environment's rate ends inconclusive,
/// and with on_inconclusive: rollback rolls a good release back. rollout plan (at --rps, or the stable's last hour) and
/// rollout start (the stable's last hour) say so on stderr; start's JSON carries it as note.
/// </summary>
public sealed class RolloutPaceWarningCliTests
{
    [Fact]
    public async Task Plan_AtAnRpsTooLowForAStep_WarnsOnStderr_AndNotAtOneHighEnough()
    {
        await using var app = await RolloutCliTests.ReadyAsync();

        var (code, stdout, stderr) = await app.RunAsync("rollout", "plan", "--env", "production", "--rps", "5", "--steps", "10,50");
        var (fastCode, _, fastStderr) = await app.RunAsync("rollout", "plan", "--env", "production", "--rps", "100000", "--steps", "10,50");

        Assert.True(code == 0, stderr);
        Assert.Contains("canary requests", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: at 5 requests/s (--rps) step", stderr, StringComparison.Ordinal);
        Assert.Contains("beyond rollout.step.max_duration 30m0s: it ends inconclusive and on_inconclusive: hold applies", stderr, StringComparison.Ordinal);
        Assert.True(fastCode == 0, fastStderr);
        Assert.DoesNotContain("requests/s", fastStderr, StringComparison.Ordinal);
    }

    // Newcomer trial L8: the warning measured the rate, and the table's time column below it stayed empty without --rps.
    [Fact]
    public async Task Plan_WithoutRps_TimesTheStepsAtTheMeasuredRate_AndSaysSo()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await StableSinceAsync(app, TimeSpan.FromHours(2));
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 600, errorRate: 0);

        var (code, stdout, stderr) = await app.RunAsync("rollout", "plan", "--env", "production", "--steps", "10,50");
        var json = await app.JsonAsync("rollout", "plan", "--env", "production", "--steps", "10,50");

        Assert.True(code == 0, stderr);
        Assert.Contains("time at 0.167 rps (measured)", stdout, StringComparison.Ordinal);
        Assert.Contains("time: at 0.167 requests/s, measured over the last hour of production's requests, both arms; --rps N plans at another rate", stdout, StringComparison.Ordinal);
        Assert.Equal(600 / 3600.0, json.GetProperty("rps").GetDouble(), 6);
        Assert.Equal("measured over the last hour of production's requests, both arms", json.GetProperty("rps_source").GetString());
        var first = json.GetProperty("steps")[0];
        Assert.Equal(Math.Ceiling(first.GetProperty("total_requests").GetDouble() / (600 / 3600.0)), first.GetProperty("seconds").GetDouble(), 6);
    }

    [Fact]
    public async Task Plan_WithoutRpsOrStableTraffic_LeavesTheTimeColumnEmpty_AndSaysWhy()
    {
        await using var app = await RolloutCliTests.ReadyAsync();

        var (code, stdout, stderr) = await app.RunAsync("rollout", "plan", "--env", "production", "--steps", "10,50");
        var json = await app.JsonAsync("rollout", "plan", "--env", "production", "--steps", "10,50");

        Assert.True(code == 0, stderr);
        Assert.Contains("time (--rps)", stdout, StringComparison.Ordinal);
        Assert.Contains("time: – without --rps or the environment's traffic in the last hour", stdout, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("rps").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("steps")[0].GetProperty("seconds").ValueKind);
    }

    [Fact]
    public async Task Start_StableTrafficInTheLastHourTooLowForTheFirstStep_Warns_AndNoteInJson()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await StableSinceAsync(app, TimeSpan.FromHours(2));
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 600, errorRate: 0);

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: at 0.167 requests/s (measured over the last hour of production's requests, both arms) step", stderr, StringComparison.Ordinal);
        Assert.Contains("see the plan: glidepath rollout plan --env production --rps 0.167", stderr, StringComparison.Ordinal);
        Assert.Contains("1% needs about ", stderr, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(stdout);
        Assert.StartsWith("warning: at 0.167 requests/s", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    // Trial shadowcaps #7: a release stable for 2 minutes had its rate read over the whole hour, 30 times too slow.
    [Fact]
    public async Task Start_StableForLessThanAnHour_RateIsOverTheTimeItHasBeenStable()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await StableSinceAsync(app, TimeSpan.FromMinutes(10));
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 600, errorRate: 0);

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Matches(@"warning: at 0\.9\d* requests/s \(measured over production's requests, both arms, in the 10m\d+s since the stable release became stable\)|warning: at 1(\.0\d*)? requests/s \(measured over production's requests, both arms, in the 10m0s since the stable release became stable\)", stderr);
    }

    // Trial netfalse L3: after three 50% canaries the rate read 22.5 requests/s (the stable release's own requests) while
    // the gateway served about 39. The rate is the environment's, both arms.
    [Fact]
    public async Task Plan_ACanaryTookHalfTheTrafficInTheHour_RateCountsBothArms()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await StableSinceAsync(app, TimeSpan.FromHours(2));
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 300, errorRate: 0);
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 300, errorRate: 0);
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Shadow, 300, errorRate: 0);

        var json = await app.JsonAsync("rollout", "plan", "--env", "production", "--steps", "10,50");

        Assert.Equal(600 / 3600.0, json.GetProperty("rps").GetDouble(), 6);
        Assert.Equal("measured over the last hour of production's requests, both arms", json.GetProperty("rps_source").GetString());
    }

    [Fact]
    public async Task Start_NoStableTrafficToTellTheRateFrom_NoPaceWarning()
    {
        await using var app = await RolloutCliTests.ReadyAsync();

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--format", "json");

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("requests/s", stderr, StringComparison.Ordinal);
        using var answer = JsonDocument.Parse(stdout);
        // No controller runs here: the lease warning is the note's only line.
        Assert.StartsWith("warning: no controller holds the lease of production", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", answer.RootElement.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Moves production's stable-since back by <paramref name="ago"/> (the release was promoted just now).</summary>
    private static async Task StableSinceAsync(Environments.EnvApp app, TimeSpan ago)
    {
        await using var store = await Glidepath.Storage.Sqlite.SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
        await store.Environments.ApplyAsync(new Glidepath.Environments.EnvironmentChange
        {
            App = "support-agent",
            Environment = "production",
            ExpectedRevision = state.Revision,
            NewState = state with { StableSince = DateTimeOffset.UtcNow - ago },
            Event = new Glidepath.Environments.EnvironmentEvent { App = "support-agent", Environment = "production", Revision = state.Revision + 1, Kind = "freeze", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, CancellationToken.None);
    }
}
