using Glidepath.Cli.Tests.Environments;
using Glidepath.Errors;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Rollouts;

public sealed class RolloutCliTests
{
    /// <summary>v1 stable in production, v2 stable in staging with a passing gate verdict against v1: ready to roll out.</summary>
    internal static async Task<EnvApp> ReadyAsync()
    {
        var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        return app;
    }

    internal static async Task TrafficAsync(EnvApp app, string release, string arm, int n, double errorRate)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var random = new Random(n);
        var now = DateTimeOffset.UtcNow;
        await store.Traces.WriteBatchAsync(
            [.. Enumerable.Range(0, n).Select(i => new TraceRecord
            {
                TraceId = Glidepath.Testing.TestTraceIds.Of($"{release}/{arm}/{n}/{errorRate}", i),
                App = "support-agent",
                Environment = "production",
                ReleaseId = app.Ids[release],
                Arm = arm,
                StartedAt = now,
                Api = "openai",
                Status = random.NextDouble() < errorRate ? 500 : 200,
                LatencyMs = 200 + random.Next(100),
                OverheadMs = 0.2,
                CostUsd = 0.002,
            })],
            CancellationToken.None);
    }

    internal static async Task TickAsync(EnvApp app)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        await new RolloutController(store.Rollouts, store.Environments, store.Traces, TimeProvider.System, new RolloutControllerOptions { Holder = "test" }).TickAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Start_WithPromotionEvidence_SetsCanaryAtFirstStep()
    {
        await using var app = await ReadyAsync();

        var started = await app.JsonAsync("rollout", "start", "v2", "--env", "production", "--steps", "2,10,50", "--min-requests", "100", "--max-duration", "5m");

        var rollout = started.GetProperty("rollout");
        Assert.Equal("progressing", rollout.GetProperty("state").GetString());
        Assert.Equal(2, rollout.GetProperty("weight").GetDouble());
        Assert.Equal([2.0, 10, 50, 100], rollout.GetProperty("plan").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal("5m0s", rollout.GetProperty("max_duration").GetString());
        Assert.False(rollout.GetProperty("forced").GetBoolean());
        var (_, status, _) = await app.RunAsync("status");
        Assert.Contains($"v2+{app.Ids["v2"][..8]} at 2%", status, StringComparison.Ordinal);
    }

    // A trial: it said only "the controller in 'glidepath serve' judges it", though an app on the SDK has no gateway and
    // its rollouts are judged by 'glidepath controller'. Without a controller holding the lease, the start's warning names both.
    [Fact]
    public async Task Start_Text_NamesBothProcessesThatJudgeIt()
    {
        await using var app = await ReadyAsync();

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.Equal(0, code);
        Assert.Contains("it neither advances nor rolls back until 'glidepath serve --env production' or 'glidepath controller --env production' runs", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutGateVerdict_Exits4NamingTheMissingGate()
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("no passing gate verdict for v2", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--force")]
    [InlineData("--steps", "5,1")]
    [InlineData("--steps", "abc")]
    [InlineData("--max-duration", "soon")]
    public async Task Start_BadArguments_Exits2(params string[] extra)
    {
        await using var app = await ReadyAsync();

        var (code, _, stderr) = await app.RunAsync(["rollout", "start", "v2", "--env", "production", .. extra]);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("soon", "error: --max-duration 'soon' is not a duration; expected e.g. 30m, 1h or 7d")]
    [InlineData("0s", "error: --max-duration '0s' is zero; expected a duration above zero, e.g. 30m, 1h or 7d")]
    public async Task Start_MaxDurationNotAboveZero_SaysWhich(string value, string expected)
    {
        await using var app = await ReadyAsync();

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--max-duration", value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(expected, stderr.Trim());
    }

    [Fact]
    public async Task Start_SecondRolloutWhileOneIsActive_Exits4()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("active", stderr, StringComparison.Ordinal);
    }

    // Trial sdkapp: with no controller running, a rollback left the rollout "progressing" at its step (rollout status said
    // so) after the canary was gone, and the rollback said "v2 → v1" as if v1 had just come back.
    [Fact]
    public async Task Rollback_DuringARolloutWithNoControllerRunning_EndsTheRolloutAtOnceAndSaysSo()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");

        var (code, stdout, stderr) = await app.RunAsync("rollback", "--env", "production", "--reason", "by hand");

        Assert.True(code == 0, stderr);
        Assert.Contains("production: canary v2 at 1% ended; all traffic to the stable v1 (rollback, revision", stdout, StringComparison.Ordinal);
        Assert.Matches(@"rollout ro-[0-9a-f]{12} ended \(rolled_back\): its canary was removed by this rollback", stderr);
        await using (var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            Assert.Null(await store.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None));
            var ended = (await store.Rollouts.LatestAsync("support-agent", "production", CancellationToken.None))!;
            Assert.Equal(RolloutState.RolledBack, ended.State);
            Assert.Contains("the canary was removed outside the rollout by 'rollback'", ended.EndReason, StringComparison.Ordinal);
            Assert.Equal(RolloutDecisionKinds.EndedExternally, (await store.Rollouts.DecisionsAsync(ended.Id, CancellationToken.None))[^1].Kind);
        }

        var (_, status, _) = await app.RunAsync("rollout", "status", "--env", "production");
        Assert.Contains("rolled_back", status, StringComparison.Ordinal);
        Assert.DoesNotContain("progressing", status, StringComparison.Ordinal);
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
    }

    // Trial sdkapp #1: a rollout whose canary went by other means (a rollback by a build from before rollbacks ended their
    // rollout) blocked every new start while status showed no canary. Start ends it as the controller would.
    [Fact]
    public async Task Start_AfterTheCanaryWasRemovedOutsideTheRollout_EndsTheOldRolloutAndStarts()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        Rollout first;
        await using (var before = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            first = (await before.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None))!;
            var state = await before.Environments.GetAsync("support-agent", "production", CancellationToken.None);
            await before.Environments.ApplyAsync(new Glidepath.Environments.EnvironmentChange
            {
                App = "support-agent",
                Environment = "production",
                ExpectedRevision = state.Revision,
                NewState = state with { Canary = null },
                Event = new Glidepath.Environments.EnvironmentEvent
                {
                    App = "support-agent",
                    Environment = "production",
                    Revision = state.Revision + 1,
                    Kind = "rollback",
                    Actor = "an older build",
                    Time = DateTimeOffset.UtcNow,
                    FromReleaseId = app.Ids["v2"],
                    ToReleaseId = app.Ids["v1"],
                },
            }, CancellationToken.None);
        }

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");

        Assert.True(code == 0, stderr);
        var (_, history, _) = await app.RunAsync("history", "--env", "production", "--format", "json");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(history, "\"rollout_started\""));
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var second = (await store.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None))!;
        Assert.NotEqual(first.Id, second.Id);
        var ended = (await store.Rollouts.GetAsync(first.Id, CancellationToken.None))!;
        Assert.Equal(RolloutState.RolledBack, ended.State);
        Assert.Contains("the canary was removed outside the rollout by 'rollback' by an older build", ended.EndReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AfterControllerRollsBackErrors_ShowsEvidenceAndExits1()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--min-requests", "50");
        await TrafficAsync(app, "v2", Arm.Canary, 600, errorRate: 0.3);
        await TrafficAsync(app, "v1", Arm.Stable, 3000, errorRate: 0);

        await TickAsync(app);

        var (code, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        Assert.Equal(ExitCodes.Negative, code);
        Assert.Contains("rolled_back", text, StringComparison.Ordinal);
        Assert.Contains("last decision: rollback by controller", text, StringComparison.Ordinal);
        Assert.Contains("error_rate", text, StringComparison.Ordinal);
        Assert.Contains("harm", text, StringComparison.Ordinal);

        var (_, json, _) = await app.RunAsync("rollout", "status", "--env", "production", "--format", "json");
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var last = doc.RootElement.GetProperty("last_decision");
        Assert.Equal("rollback", last.GetProperty("kind").GetString());
        var errors = last.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("metric").GetString() == "error_rate");
        Assert.Equal("harm", errors.GetProperty("verdict").GetString());
        Assert.Equal(600, errors.GetProperty("canary_n").GetInt64());
        Assert.True(errors.GetProperty("lower").GetDouble() > 0.01);

        var (_, history, _) = await app.RunAsync("history", "--env", "production");
        Assert.Contains("rollout_rolled_back", history, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await app.JsonAsync("status")).GetProperty("environments")[1].GetProperty("canary").ValueKind);
    }

    [Fact]
    public async Task Status_WatchAsJson_WritesOneCompactDocumentPerLine()
    {
        // --watch writes a document per refresh; here the rollout has ended, so there is one, and it is one line.
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");

        var (code, json, _) = await app.RunAsync("rollout", "status", "--env", "production", "--watch", "--format", "json");

        Assert.Equal(ExitCodes.Negative, code);
        var line = Assert.Single(json.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("aborted", doc.RootElement.GetProperty("rollout").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Status_ActiveRollout_ShowsLiveIntervalsPerMetric()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        // 100 per-request keys fill the subject groups far beyond min_subjects 20 effective subjects (about 39),
        // whatever the random trace ids; 40 would leave that to chance (about 25 on average).
        await TrafficAsync(app, "v2", Arm.Canary, 100, errorRate: 0);
        await TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0);

        var status = await app.JsonAsync("rollout", "status", "--env", "production");

        var judge = status.GetProperty("judge");
        Assert.Equal("continue", judge.GetProperty("outcome").GetString());
        Assert.Equal(100, judge.GetProperty("canary_requests").GetInt64());
        var latency = judge.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("metric").GetString() == "latency");
        Assert.Equal("ratio", latency.GetProperty("scale").GetString());
        Assert.Equal(1.25, latency.GetProperty("tolerance").GetDouble(), 6);
        Assert.True(latency.GetProperty("lower").GetDouble() < latency.GetProperty("estimate").GetDouble());
    }

    [Fact]
    public async Task Status_FrozenEnvironment_SaysTheCanaryGetsNoTraffic()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident drill");

        var (_, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        var rollout = (await app.JsonAsync("rollout", "status", "--env", "production")).GetProperty("rollout");
        var (_, table, _) = await app.RunAsync("status");

        Assert.Contains("progressing (frozen)", text, StringComparison.Ordinal);
        Assert.Contains("frozen: the canary receives no traffic", text, StringComparison.Ordinal);
        Assert.True(rollout.GetProperty("frozen").GetBoolean());
        Assert.Equal(0, rollout.GetProperty("served_weight").GetDouble());
        Assert.Equal(1, rollout.GetProperty("weight").GetDouble());
        Assert.Contains("no traffic while frozen", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseResumeAbort_ThroughTheCli_MoveTheStateMachine()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");

        Assert.Equal("paused", (await app.JsonAsync("rollout", "pause", "--env", "production", "--reason", "checking")).GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("progressing", (await app.JsonAsync("rollout", "resume", "--env", "production")).GetProperty("rollout").GetProperty("state").GetString());
        var aborted = await app.JsonAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");

        Assert.Equal("aborted", aborted.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("aborted: wrong build", aborted.GetProperty("decision").GetProperty("reason").GetString());
        Assert.Equal("v1", await app.StableAsync("production"));
        Assert.Equal(ExitCodes.Refused, (await app.RunAsync("rollout", "abort", "--env", "production")).Code);
    }

    [Fact]
    public async Task Abort_Text_SaysAbortedOnceWithTheReasonIfAny()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        var bare = await app.RunAsync("rollout", "abort", "--env", "production");
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        var why = await app.RunAsync("rollout", "abort", "--env", "production", "--reason", "wrong build");

        // Newcomer trial: "is aborted — aborted".
        Assert.Equal(ExitCodes.Ok, bare.Code);
        Assert.EndsWith(" is aborted", bare.Stdout.TrimEnd(), StringComparison.Ordinal);
        Assert.EndsWith(" is aborted — wrong build", why.Stdout.TrimEnd(), StringComparison.Ordinal);
    }

    // Pausing a paused rollout (or resuming a progressing one) is "nothing to change", exit 0 like freezing a frozen
    // environment, not a refusal (exit 4); nothing is recorded.
    [Fact]
    public async Task PauseResume_AlreadyAsAsked_Exit0AndRecordNothing()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "pause", "--env", "production");
        var events = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").GetArrayLength();

        var again = await app.RunAsync("rollout", "pause", "--env", "production");
        var json = await app.JsonAsync("rollout", "pause", "--env", "production");
        await app.OkAsync("rollout", "resume", "--env", "production");
        var resumeAgain = await app.RunAsync("rollout", "resume", "--env", "production");

        Assert.Equal(ExitCodes.Ok, again.Code);
        Assert.Contains("is paused at 1% — already paused; nothing changed", again.Stdout, StringComparison.Ordinal);
        Assert.False(json.GetProperty("changed").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("decision").ValueKind);
        Assert.Equal("paused", json.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(ExitCodes.Ok, resumeAgain.Code);
        Assert.Contains("already progressing; nothing changed", resumeAgain.Stdout, StringComparison.Ordinal);
        Assert.Equal(events + 1, (await app.JsonAsync("history", "--env", "production")).GetProperty("events").GetArrayLength());
    }

    // Ctrl-C ends a watch: exit 130 saying the rollout goes on (not "work finished so far is saved"), and a JSON Lines
    // reader gets no error object after the status documents.
    [Fact]
    public async Task StatusWatch_CtrlC_Exits130SayingTheRolloutGoesOn_WithNoErrorObjectInTheJsonLines()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(
            ["rollout", "status", "--env", "production", "--watch", "--format", "json", "--manifest", app.Manifest, "--store", app.StorePath],
            stdout, stderr, isTerminal: false, stopped.Token);

        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Contains("stopped watching; the rollout goes on", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("saved", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_Full_MakesCanaryStable()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "promote", "--env", "production");
        Assert.Equal(5, (await app.JsonAsync("rollout", "status", "--env", "production")).GetProperty("rollout").GetProperty("weight").GetDouble());

        await app.OkAsync("rollout", "promote", "--env", "production", "--full", "--reason", "verified");

        Assert.Equal("v2", await app.StableAsync("production"));
        var (code, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("promoted", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_StableTrafficObserved_StepsWithRequestsTimeAndObservedRates()
    {
        await using var app = await ReadyAsync();
        await TrafficAsync(app, "v1", Arm.Stable, 400, errorRate: 0.02);

        var json = await app.JsonAsync("rollout", "plan", "--env", "production", "--rps", "10", "--steps", "5,50");

        Assert.Equal(400, json.GetProperty("profile").GetProperty("requests").GetInt64());
        var steps = json.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal([5.0, 50.0], steps.Select(s => s.GetProperty("weight").GetDouble()));
        var first = steps[0];
        Assert.True(first.GetProperty("canary_requests").GetInt64() >= 200);
        Assert.Equal(first.GetProperty("total_requests").GetInt64() / 10.0, first.GetProperty("seconds").GetDouble(), 0);
        var (code, text, _) = await app.RunAsync("rollout", "plan", "--env", "production");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("the stable release's last 24 h on production: 400 requests", text, StringComparison.Ordinal);
        Assert.Contains("canary requests", text, StringComparison.Ordinal);
        Assert.Contains("typical, not a bound", text, StringComparison.Ordinal); // the estimate is assumed exactly at stable's
        Assert.Contains("about the median step; in seeded A/A simulations 1 step in 5 needs 1.3×", text, StringComparison.Ordinal);
    }
}
