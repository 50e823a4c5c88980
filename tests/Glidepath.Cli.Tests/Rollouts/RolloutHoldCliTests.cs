using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>What a user sees of a held step, a deadline, an abort and a rollback's cause: rollout status (text and JSON), history and status.</summary>
public sealed class RolloutHoldCliTests
{
    /// <summary>Runs the CLI at <paramref name="time"/> (a step limit long passed) instead of the wall clock.</summary>
    private static async Task<(int Code, string Stdout)> RunAtAsync(EnvApp app, TimeProvider time, params string[] args)
    {
        var stdout = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--manifest", app.Manifest, "--store", app.StorePath], new CliEnvironment(stdout, new StringWriter(), false) { Time = time }, CancellationToken.None);
        return (code, stdout.ToString());
    }

    private static async Task TickAtAsync(EnvApp app, TimeProvider time)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        await new RolloutController(store.Rollouts, store.Environments, store.Traces, time, new RolloutControllerOptions { Holder = "test" }).TickAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Status_HeldWithAnErrorEstimateBeyondTolerance_WarnsInRolloutStatusHistoryAndStatus()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "25,50", "--max-duration", "10m");
        // 6% errors against stable's 0 on 100 canary requests: the estimate is far past max_increase 0.01, the interval undecided.
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 100, errorRate: 0.06);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0);
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));

        await TickAtAsync(app, later);
        await TickAtAsync(app, later);

        var (_, text) = await RunAtAsync(app, later, "rollout", "status", "--env", "production");
        Assert.Contains("judge now: hold", text, StringComparison.Ordinal);
        Assert.Contains("  warning: error_rate +0.", text, StringComparison.Ordinal);
        Assert.Contains("the estimate is beyond max_increase 0.01, but the interval cannot decide with ≥ ", text, StringComparison.Ordinal);
        Assert.Contains("consider: glidepath rollback --env production", text, StringComparison.Ordinal);
        Assert.Contains("detects beyond", text, StringComparison.Ordinal);
        var (_, json) = await RunAtAsync(app, later, "rollout", "status", "--env", "production", "--format", "json");
        using var doc = JsonDocument.Parse(json);
        var judge = doc.RootElement.GetProperty("judge");
        Assert.StartsWith("warning: error_rate", judge.GetProperty("warning").GetString(), StringComparison.Ordinal);
        var errors = judge.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "error_rate");
        Assert.True(errors.GetProperty("estimate_beyond_tolerance").GetBoolean());
        // The JSON rounds each figure to 6 decimals: within a rounding step, not equal at 5 places (0.1089747 against
        // 0.108975 rounds to 0.10897 and 0.10898).
        var halfWidth = (errors.GetProperty("upper").GetDouble() - errors.GetProperty("lower").GetDouble()) / 2;
        Assert.InRange(errors.GetProperty("half_width").GetDouble(), halfWidth - 1e-6, halfWidth + 1e-6);
        var (_, history, _) = await app.RunAsync("history", "--env", "production");
        Assert.Single(history.Split('\n'), l => l.Contains("rollout_held", StringComparison.Ordinal) && l.Contains("warning: error_rate", StringComparison.Ordinal));
        var (_, status, _) = await app.RunAsync("status");
        Assert.Contains("production: rollout held — warning: error_rate", status, StringComparison.Ordinal);
        var row = (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");
        Assert.StartsWith("warning: error_rate", row.GetProperty("rollout_warning").GetString(), StringComparison.Ordinal);

        // An outside trial: two people acting on the warning's unguarded command took the stable back two releases. The
        // command it names now expects the revision it was read at: the first run ends the canary, the same command again
        // is refused and the stable stays.
        var suggested = System.Text.RegularExpressions.Regex.Match(text, @"consider: glidepath (rollback --env production --expect-revision (\d+))");
        Assert.True(suggested.Success, text);
        Assert.Contains("--expect-revision " + suggested.Groups[2].Value, status, StringComparison.Ordinal);
        // Trial netfalse L4: the hold's stored reason named the revision before its own event (30), rollout status the one
        // after (31). Both name the revision of the hold's event now.
        Assert.Single(history.Split('\n'), l => l.Contains("rollout_held", StringComparison.Ordinal) && l.Contains("--expect-revision " + suggested.Groups[2].Value, StringComparison.Ordinal));
        var command = suggested.Groups[1].Value.Split(' ');
        var first = await app.RunAsync(command);
        var second = await app.RunAsync(command);
        Assert.True(first.Code == 0, first.Stderr);
        Assert.Equal(4, second.Code);
        Assert.Equal("v1", (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production").GetProperty("stable").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Status_AfterAbort_ShowsTheJudgesEvidenceAtTheAbortAndCauseManual()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "25,50");
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 100, errorRate: 0);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0);

        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");

        var (_, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        Assert.Contains("evidence of the last judged decision (abort at", text, StringComparison.Ordinal);
        Assert.Contains("25%, cause: manual) — aborted: wrong build", text, StringComparison.Ordinal);
        // An aborted rollout is exit 1 (its release is not stable), with and without --watch.
        var (code, json, _) = await app.RunAsync("rollout", "status", "--env", "production", "--format", "json");
        Assert.Equal(ExitCodes.Negative, code);
        using var status = System.Text.Json.JsonDocument.Parse(json);
        var last = status.RootElement.GetProperty("last_decision");
        Assert.Equal("manual", last.GetProperty("cause").GetString());
        var errors = last.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("metric").GetString() == "error_rate");
        Assert.Equal(100, errors.GetProperty("canary_n_before_cap").GetInt64());
    }

    [Fact]
    public async Task Status_RolledBackOnHarm_CauseHarmBesideKind()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--min-requests", "50");
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 600, errorRate: 0.3);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 3000, errorRate: 0);

        await TickAtAsync(app, TimeProvider.System);

        var last = (await app.RunAsync("rollout", "status", "--env", "production", "--format", "json")).Stdout;
        using var doc = JsonDocument.Parse(last);
        var decision = doc.RootElement.GetProperty("last_decision");
        Assert.Equal("rollback", decision.GetProperty("kind").GetString());
        Assert.Equal("harm", decision.GetProperty("cause").GetString());
    }

    // The controller stored a warning hold; then the estimate moved back inside the tolerance. Both commands show the
    // stored warning (status has no live judge): before, rollout status judged live and showed none while status warned.
    [Fact]
    public async Task Status_WarningHoldThenEstimateBackInside_StatusAndRolloutStatusShowTheSameWarning()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "25,50", "--max-duration", "10m");
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 100, errorRate: 0.06);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0);
        var later = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(1));
        await TickAtAsync(app, later);
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 900, errorRate: 0);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 3600, errorRate: 0);

        var (_, json) = await RunAtAsync(app, later, "rollout", "status", "--env", "production", "--format", "json");
        var (_, text) = await RunAtAsync(app, later, "rollout", "status", "--env", "production");
        var row = (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");
        var (_, status, _) = await app.RunAsync("status");

        using var doc = JsonDocument.Parse(json);
        var judge = doc.RootElement.GetProperty("judge");
        var errors = judge.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "error_rate");
        Assert.NotEqual(JsonValueKind.True, errors.GetProperty("estimate_beyond_tolerance").ValueKind); // the live look no longer warns
        var warning = row.GetProperty("rollout_warning").GetString();
        Assert.StartsWith("warning: error_rate +0.", warning, StringComparison.Ordinal);
        Assert.Equal(warning, judge.GetProperty("warning").GetString());
        Assert.Contains($"  {warning}\n", text, StringComparison.Ordinal);
        Assert.Contains($"production: rollout held — {warning}", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_HeldPastMaxHold_RolledBackWithCauseDeadlineInStatusAndHistory()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await File.WriteAllTextAsync(app.Manifest, (await File.ReadAllTextAsync(app.Manifest)).Replace("on_inconclusive: hold", "on_inconclusive: hold\n  max_hold: 20m", StringComparison.Ordinal));
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--steps", "25,50", "--max-duration", "10m");
        await RolloutCliTests.TrafficAsync(app, "v2", Arm.Canary, 100, errorRate: 0.06);
        await RolloutCliTests.TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0);
        var start = DateTimeOffset.UtcNow;

        var (_, before) = await RunAtAsync(app, new FakeTimeProvider(start.AddMinutes(5)), "rollout", "status", "--env", "production");
        await TickAtAsync(app, new FakeTimeProvider(start.AddMinutes(31)));

        var (code, text) = await RunAtAsync(app, new FakeTimeProvider(start.AddMinutes(32)), "rollout", "status", "--env", "production");
        Assert.Contains("(step limit 10m0s, max_hold 20m0s, min_requests", before, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Negative, code);
        Assert.Contains("25%, cause: deadline) — deadline: undecided after 31m", text, StringComparison.Ordinal);
        var (_, json, _) = await app.RunAsync("rollout", "status", "--env", "production", "--format", "json");
        using var doc = JsonDocument.Parse(json);
        var last = doc.RootElement.GetProperty("last_decision");
        Assert.Equal("rollback", last.GetProperty("kind").GetString());
        Assert.Equal("deadline", last.GetProperty("cause").GetString());
        var events = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray().ToList();
        var rolledBack = events.Single(e => e.GetProperty("kind").GetString() == "rollout_rolled_back");
        Assert.Equal("deadline", rolledBack.GetProperty("details").GetProperty("cause").GetString());
    }
}
