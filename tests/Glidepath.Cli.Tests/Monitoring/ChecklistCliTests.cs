using Glidepath.Cli.Tests.Support;
using System.Security.Cryptography;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Evals;
using Glidepath.Evals.Gate;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Monitoring;

public sealed class ChecklistCliTests
{
    /// <summary>
    /// v1 is stable on staging and production; v2 is committed, registered, stable and serving on staging, gated against
    /// v1 on the current dataset, a drill passed on staging, a rollout of v2 on production started at 1%, and its canary
    /// traces are arriving and the controller has judged them. <paramref name="broken"/> names the one row whose
    /// evidence is left out; <paramref name="judged"/> false leaves out the controller's judgment of canary traffic.
    /// </summary>
    private static async Task<MonitorApp> ScenarioAsync(string? broken, bool judged = true)
    {
        var app = await MonitorApp.CreateAsync(0);
        TestGit.Run(app.Dir, "init", "-q");
        File.WriteAllText(Path.Combine(app.Dir, ".gitignore"), ".glidepath/\n");
        TestGit.Run(app.Dir, "add", "-A");
        TestGit.Run(app.Dir, "commit", "-qm", "sample");
        await app.AddReleaseAsync("");
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("promote", "v1", "--env", "production");

        await File.AppendAllTextAsync(Path.Combine(app.Dir, "prompts", "system.md"), "\nAlways greet the customer by name.\n");
        if (broken != "versioned")
        {
            TestGit.Run(app.Dir, "commit", "-qam", "greet by name");
        }

        await app.AddReleaseAsync("");
        await app.OkAsync("deploy", "v2", "--env", "staging");
        var now = app.Time.GetUtcNow();
        if (broken != "isolated environment")
        {
            await app.WriteTracesAsync("staging", "v2", now.AddMinutes(-30), TimeSpan.FromMinutes(10), 20);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(app.Dir, "evals", "support.jsonl"))));
        var today = await GateBasis.CurrentAsync(ManifestParser.Load(app.Manifest), CancellationToken.None);
        await using (var store = await app.OpenStoreAsync())
        {
            await store.GateVerdicts.SaveAsync(new GateVerdictRecord("gv-1", "support-agent", app.Ids["v2"], app.Ids["v1"],
                broken == "eval gate" ? "an-older-dataset" : sha, "pass", today.ScorerVersion, now, "{}") { GateRule = today.Rule.Json, GateRuleSha256 = today.Rule.Sha256 }, CancellationToken.None);
            if (broken != "rollback ready")
            {
                await DrillAsync(store, "staging", now, passed: true);
            }
        }

        if (broken != "canary first")
        {
            await app.OkAsync("rollout", "start", "v2", "--env", "production", "--force", "--reason", "checklist test");
        }

        if (broken == "monitoring on")
        {
            app.EditManifest(y => y.Replace("sample_rate: 0.2", "sample_rate: 0", StringComparison.Ordinal));
        }

        await app.WriteTracesAsync("production", "v2", now.AddMinutes(-2), TimeSpan.FromMinutes(1), 10, shape: (_, t) => t with { Arm = "canary" });
        if (broken == "drift alerts")
        {
            await AlertAsync(app, "v2", "latency", now.AddMinutes(-20));
        }

        if (broken != "canary first" && judged)
        {
            await JudgeAsync(app, canaryRequests: 10);
        }

        return app;
    }

    /// <summary>Writes what the controller's tick writes when it holds a step after judging canary traffic.</summary>
    private static async Task JudgeAsync(MonitorApp app, long canaryRequests)
    {
        await using var store = await app.OpenStoreAsync();
        var rollout = await store.Rollouts.ActiveAsync("support-agent", "production", CancellationToken.None);
        await store.Rollouts.AppendDecisionAsync(new RolloutDecisionRecord
        {
            RolloutId = rollout!.Id,
            Kind = RolloutDecisionKinds.Hold,
            StepIndex = rollout.StepIndex,
            Weight = rollout.Weight,
            Actor = RolloutController.Actor,
            Reason = "not enough requests yet to decide",
            CanaryRequests = canaryRequests,
            StableRequests = canaryRequests * 99,
            EvidenceJson = "[]",
            Time = app.Time.GetUtcNow(),
        }, CancellationToken.None);
    }

    private static JsonElement Row(JsonElement json, string check) =>
        json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("check").GetString() == check);

    [Fact]
    public async Task Checklist_RolloutStartedThenPromotedFullWithoutJudgedTraffic_CanaryFirstFailsAsForced()
    {
        await using var app = await ScenarioAsync(null, judged: false);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Equal(1, code);
        var row = Row(json, "canary first");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.Contains("promoted", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Contains("forced", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Contains("Next time, start with glidepath rollout start REF --env production and let a controller judge real canary traffic before promoting: glidepath serve --env production, or glidepath controller --env production beside an SDK host.",
            row.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_ActiveRolloutNoJudgedCanaryTraffic_CanaryFirstFails()
    {
        await using var app = await ScenarioAsync(null, judged: false);
        await JudgeAsync(app, canaryRequests: 0);

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Equal(1, code);
        Assert.Contains("no judged step has seen canary traffic", Row(json, "canary first").GetProperty("measured").GetString(), StringComparison.Ordinal);

        // A trial: the advice named only 'glidepath serve', though an app on the SDK has its rollouts judged by 'glidepath controller'.
        Assert.Equal("Stop: a canary nobody judged protects nothing. Run a controller so it judges canary traffic before it widens: glidepath serve --env production, or glidepath controller --env production beside an SDK host.",
            Row(json, "canary first").GetProperty("action").GetString());
    }

    // From an outside trial: a release deployed to staging, then drilled there, passed "isolated environment" on the
    // drill's three traced probes alone. Traces inside a drill's window are no evidence of real traffic.
    [Fact]
    public async Task Checklist_StagingTracesOnlyFromARollbackDrill_IsolatedEnvironmentFailsUntilRealTraffic()
    {
        await using var app = await ScenarioAsync("isolated environment");
        var now = app.Time.GetUtcNow();
        await using (var store = await app.OpenStoreAsync())
        {
            await DrillPhaseAsync(store, "staging", now.AddMinutes(-3), "candidate_on");
        }

        await app.WriteTracesAsync("staging", "v2", now.AddMinutes(-2), TimeSpan.FromSeconds(30), 3);
        await using (var store = await app.OpenStoreAsync())
        {
            await DrillPhaseAsync(store, "staging", now.AddMinutes(-1), "result");
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");
        await app.WriteTracesAsync("staging", "v2", now.AddMinutes(-10), TimeSpan.FromMinutes(1), 2);
        var (after, json2) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");

        Assert.Equal(1, code);
        var row = Row(json, "isolated environment");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.Contains("staging: stable but no trace outside rollback drills", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Equal("pass", Row(json2, "isolated environment").GetProperty("status").GetString());
        Assert.Equal(0, after);
    }

    // From an outside trial: 3 minutes into a healthy first step with a controller judging it, the advice was to start
    // serving production through glidepath serve (it was). While a controller holds the lease: wait for its decision.
    [Fact]
    public async Task Checklist_ControllerHoldsTheLeaseBeforeItsFirstDecision_CanaryFirstSaysWait()
    {
        await using var app = await ScenarioAsync(null, judged: false);
        await using (var store = await app.OpenStoreAsync())
        {
            Assert.True(await store.Rollouts.TryAcquireLeaseAsync("support-agent", "production", "vm:1:test", TimeSpan.FromMinutes(1), app.Time.GetUtcNow(), CancellationToken.None));
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Equal(1, code);
        var row = Row(json, "canary first");
        Assert.Contains("the controller (vm:1:test) is judging the first step", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Wait: the first step's decision is not in yet", row.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    // Newcomer trial L10: a healthy first step still being judged read "✗ FAIL". It is pending: shown as such, and not a
    // pass (exit 1, passed false), so a script waiting for "ready" still waits.
    [Fact]
    public async Task Checklist_FirstStepStillBeingJudged_RowIsPendingNotFailed_AndNotAPass()
    {
        await using var app = await ScenarioAsync(null, judged: false);
        await using (var store = await app.OpenStoreAsync())
        {
            Assert.True(await store.Rollouts.TryAcquireLeaseAsync("support-agent", "production", "vm:1:test", TimeSpan.FromMinutes(1), app.Time.GetUtcNow(), CancellationToken.None));
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");
        var (textCode, text, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Equal(1, code);
        Assert.Equal("pending", Row(json, "canary first").GetProperty("status").GetString());
        Assert.False(json.GetProperty("passed").GetBoolean());
        Assert.Equal(1, json.GetProperty("pending").GetInt32());
        Assert.Equal(1, textCode);
        Assert.Contains("… pending", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", text, StringComparison.Ordinal);
        Assert.Contains("… canary first: Wait: the first step's decision is not in yet", text, StringComparison.Ordinal);
        Assert.Matches(@"1 of \d row\(s\) pending, none failed: .* is not ready for production yet\.", text);
    }

    // From an outside trial: after 'shadow stop' the row still said the shadow "is still collecting".
    [Fact]
    public async Task Checklist_ShadowStoppedBeforeADecision_ShadowRowSaysItWillNotConclude()
    {
        await using var app = await ScenarioAsync("canary first");
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1", "--max-cost-usd", "5");
        await app.OkAsync("shadow", "stop", "--env", "production", "--reason", "enough for the trial");

        var (_, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        var row = Row(json, "shadow");
        Assert.Equal("skip", row.GetProperty("status").GetString());
        Assert.Contains("was stopped", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Contains("it will not conclude", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("still collecting", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_JudgedRolloutThenPromotedFull_CanaryFirstPasses()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.True(code == 0, json.ToString());
        Assert.Contains("the judge saw 10 canary request(s)", Row(json, "canary first").GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial newcomer4 M3: right after an operator rolled the promoted release back, the row read "pass … (now 100%)".
    [Fact]
    public async Task Checklist_PromotedThenRolledBackByHand_CanaryFirstFailsNamingTheRollback()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");
        await app.OkAsync("rollback", "--env", "production", "--reason", "refund answers wrong");

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");

        Assert.Equal(1, code);
        var row = Row(json, "canary first");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.Matches(@"; then rolled back from production at revision \d+ by .+ \(\d{4}-\d\d-\d\d \d\d:\d\d UTC, ""refund answers wrong""\), so it no longer serves there", row.GetProperty("measured").GetString());
        Assert.Contains("glidepath rollout start v2 --env production", row.GetProperty("action").GetString(), StringComparison.Ordinal);

        // Promoted again by hand, it is the stable once more: the rollout's judgment counts again, as before the rollback.
        var promote = await app.RunAsync("promote", "v2", "--env", "production", "--force", "--reason", "fixed upstream");
        Assert.True(promote.Code == 0, promote.Stderr);
        Assert.Matches(@"note: v2 was rolled back from production at .+ UTC \(revision \d+, by .+, ""refund answers wrong""\); this promote puts it back at 100% at once", promote.Stdout + promote.Stderr);
        var (again, json2) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "rollout");
        Assert.Equal("pass", Row(json2, "canary first").GetProperty("status").GetString());
        Assert.True(again is 0 or 1, json2.ToString());
    }

    [Fact]
    public async Task Checklist_ReleaseAlreadyStableWithoutGateVerdict_GateAdviceNamesTheReleaseItReplaced()
    {
        await using var app = await ScenarioAsync("eval gate");
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");

        var (_, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");

        var action = Row(json, "eval gate").GetProperty("action").GetString()!;
        Assert.Contains("glidepath gate v2 --baseline v1", action, StringComparison.Ordinal);
        Assert.DoesNotContain("env:production", action, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("isolated environment")]
    [InlineData("eval gate")]
    [InlineData("versioned")]
    [InlineData("rollback ready")]
    [InlineData("canary first")]
    [InlineData("monitoring on")]
    [InlineData("drift alerts")]
    public async Task Checklist_EvidenceForOneRowMissing_OnlyThatRowFailsWithItsActionAndExit1(string? broken)
    {
        await using var app = await ScenarioAsync(broken);

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production");

        var rows = json.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["isolated environment", "eval gate", "versioned", "rollback ready", "shadow", "canary first", "monitoring on", "drift alerts"], rows.Select(r => r.GetProperty("check").GetString()));
        var failed = rows.Where(r => r.GetProperty("status").GetString() == "fail").ToList();
        if (broken is null)
        {
            Assert.True(code == 0, json.ToString());
            Assert.Empty(failed);
            Assert.True(json.GetProperty("passed").GetBoolean());
            return;
        }

        Assert.Equal(1, code);
        var row = Assert.Single(failed);
        Assert.Equal(broken, row.GetProperty("check").GetString());
        Assert.StartsWith(broken == "eval gate" ? "Blocked:" : "Stop:", row.GetProperty("action").GetString(), StringComparison.Ordinal);
        Assert.All(rows.Where(r => r.GetProperty("check").GetString() != broken), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("action").ValueKind));
    }

    // The fix names only what is missing: with scoring on, "set online.sample_rate above 0" sent the reader the wrong way.
    [Fact]
    public async Task Checklist_MonitoringRow_ActionNamesOnlyWhatIsMissing()
    {
        await using (var off = await ScenarioAsync("monitoring on"))
        {
            var (_, json) = await off.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");
            var action = Row(json, "monitoring on").GetProperty("action").GetString()!;
            Assert.Contains("set online.sample_rate above 0", action, StringComparison.Ordinal);
            Assert.DoesNotContain("glidepath serve", action, StringComparison.Ordinal);
        }

        await using var quiet = await ScenarioAsync(null);
        quiet.Time.Advance(TimeSpan.FromDays(2));
        var (_, later) = await quiet.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");
        var quietAction = Row(later, "monitoring on").GetProperty("action").GetString()!;
        Assert.Contains("stopped reaching production", quietAction, StringComparison.Ordinal);
        Assert.DoesNotContain("sample_rate", quietAction, StringComparison.Ordinal);
    }

    // Trial "drift" #4: the gateway ran, the traffic stopped upstream of it, and the row advised starting the gateway. Traces
    // that flowed and stopped are a stop to look for; only a release that never served on the environment needs serving.
    [Fact]
    public async Task Checklist_MonitoringRow_TracesStoppedAfterFlowing_AdvisesFindingTheStopNotStartingAGateway()
    {
        await using var app = await ScenarioAsync(null);
        var lastTrace = app.Time.GetUtcNow();
        app.Time.Advance(TimeSpan.FromDays(2));

        var (_, stopped) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");
        var row = Row(stopped, "monitoring on");
        var action = row.GetProperty("action").GetString()!;
        Assert.Contains("find why requests of v2 stopped reaching production", action, StringComparison.Ordinal);
        Assert.DoesNotContain("so traces of v2 flow", action, StringComparison.Ordinal);
        Assert.Contains($"its traffic stopped: last trace {lastTrace.AddMinutes(-2).UtcDateTime:yyyy-MM-dd} ", row.GetProperty("measured").GetString()!, StringComparison.Ordinal);

        // v1 never served on production in this scenario (v2's canary did): that one needs a gateway.
        var (_, never) = await app.JsonWithCodeAsync("checklist", "v1", "--env", "production", "--stage", "after");
        Assert.Contains("glidepath serve --env production so traces of v1 flow", Row(never, "monitoring on").GetProperty("action").GetString()!, StringComparison.Ordinal);
    }

    private const string ScorerError = """[{"scorer":"llm_judge","score":null,"passed":false,"applicable":true,"reason":null,"error":"no API key for judge model gpt-judge"}]""";
    private const string ScorerPass = """[{"scorer":"not_contains","score":1,"passed":true,"applicable":true,"reason":null,"error":null}]""";

    // Trial A §4/§5: online scoring on in the manifest, traces arriving, yet every online result an error: not monitoring.
    [Fact]
    public async Task Checklist_EveryRecentOnlineScoreAnError_MonitoringRowFailsNamingCountAndFirstError()
    {
        await using var app = await ScenarioAsync(null);
        var now = app.Time.GetUtcNow();
        await app.WriteTracesAsync("production", "v2", now.AddMinutes(-1), TimeSpan.FromSeconds(30), 6,
            shape: (_, t) => t with { Arm = "canary", OnlineScore = 0, OnlinePassed = false, OnlineScoresJson = ScorerError });

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.Equal(1, code);
        var row = Row(json, "monitoring on");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        var measured = row.GetProperty("measured").GetString()!;
        Assert.Contains("online scores of v2 are all errors", measured, StringComparison.Ordinal);
        Assert.Contains("6 of the 6 newest scored trace(s)", measured, StringComparison.Ordinal);
        Assert.Contains("first error: llm_judge: no API key for judge model gpt-judge", measured, StringComparison.Ordinal);
        var action = row.GetProperty("action").GetString()!;
        Assert.Contains("fix the online scorers", action, StringComparison.Ordinal);
        Assert.DoesNotContain("sample_rate", action, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_SomeRecentOnlineScoresWithoutError_MonitoringRowPasses()
    {
        await using var app = await ScenarioAsync(null);
        var now = app.Time.GetUtcNow();
        await app.WriteTracesAsync("production", "v2", now.AddMinutes(-1), TimeSpan.FromSeconds(30), 6,
            shape: (i, t) => t with { Arm = "canary", OnlineScore = i == 0 ? 1 : 0, OnlinePassed = i == 0, OnlineScoresJson = i == 0 ? ScorerPass : ScorerError });

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.True(code == 0, json.ToString());
        var row = Row(json, "monitoring on");
        Assert.Equal("pass", row.GetProperty("status").GetString());
        Assert.Contains("1 of the 6 newest scored trace(s) scored without error", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Review: traces arriving and scoring configured, but not one scored (a full scorer queue, a gateway without it).
    [Fact]
    public async Task Checklist_ManyAnsweredTracesNoneScored_MonitoringRowFails()
    {
        await using var app = await ScenarioAsync(null);
        var now = app.Time.GetUtcNow();
        await app.WriteTracesAsync("production", "v2", now.AddMinutes(-2), TimeSpan.FromSeconds(2), 40, shape: (_, t) => t with { Arm = "canary" });

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.Equal(1, code);
        var row = Row(json, "monitoring on");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.Contains("was scored online, where about", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_StageBefore_OnlyTheFourBeforeRowsAndTextNamesTheAction()
    {
        await using var app = await ScenarioAsync("rollback ready");

        var (code, stdout, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before");

        Assert.Equal(1, code);
        Assert.Contains("glidepath drill --env staging", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("canary first", stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 4 row(s) failed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_DrillOlderThanTheEnvironmentsConfigurationChange_RollbackReadyFailsUntilANewDrill()
    {
        await using var app = await ScenarioAsync(null);
        Assert.Equal(0, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before")).Code);

        app.Time.Advance(TimeSpan.FromHours(1));
        app.EditManifest(y => y.Replace("# owns the rollback decision\n    vars: { customer_tier: standard }", "# owns the rollback decision\n    vars: { customer_tier: gold }", StringComparison.Ordinal));
        var (changed, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");
        Assert.Equal(1, changed);
        var row = json.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("check").GetString() == "rollback ready");
        Assert.Contains("configuration changed", row.GetProperty("measured").GetString(), StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromMinutes(5));
        await using (var store = await app.OpenStoreAsync())
        {
            await DrillAsync(store, "staging", app.Time.GetUtcNow(), passed: true);
        }

        Assert.Equal(0, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before")).Code);
    }

    [Fact]
    public async Task Checklist_OnlyDrillFailedOrOlderThanMaxAge_RollbackReadyFails()
    {
        await using var app = await ScenarioAsync("rollback ready");
        await using (var store = await app.OpenStoreAsync())
        {
            await DrillAsync(store, "staging", app.Time.GetUtcNow(), passed: false);
        }

        Assert.Equal(1, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before")).Code);
        await using (var store = await app.OpenStoreAsync())
        {
            await DrillAsync(store, "staging", app.Time.GetUtcNow(), passed: true);
        }

        Assert.Equal(0, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before")).Code);
        app.Time.Advance(TimeSpan.FromDays(31));
        Assert.Equal(1, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before")).Code);
        Assert.Equal(0, (await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "before", "--drill-max-age", "60d")).Code);
    }

    /// <summary>Stores a drift alert as <c>glidepath monitor --check</c> does, over a 1-hour recent window ending at <paramref name="at"/>.</summary>
    private static async Task AlertAsync(MonitorApp app, string release, string metric, DateTimeOffset at)
    {
        await using var store = await app.OpenStoreAsync();
        await AlertAsync(store, app, release, metric, at);
    }

    private static async Task AlertAsync(Storage.Sqlite.SqliteStore store, MonitorApp app, string release, string metric, DateTimeOffset at)
    {
        await store.Monitor.SaveAlertAsync(new DriftAlert
        {
            Id = "al-" + Guid.NewGuid().ToString("N")[..16],
            App = "support-agent",
            Environment = "production",
            ReleaseId = app.Ids[release],
            Metric = metric,
            RaisedAt = at,
            Windows = new DriftWindows(at.AddDays(-1).AddHours(-1), at.AddDays(-1), at.AddHours(-1), at),
            Evidence = new MetricEvidence
            {
                Metric = metric, Scale = "ratio", CanaryN = 124, StableN = 800, Estimate = 1.49, Lower = 1.3, Upper = 1.7,
                Tolerance = 1.25, ToleranceText = "max_ratio 1.25", Verdict = "harm", Alpha = 0.008,
            },
            Message = $"{metric} drifted on production",
        }, CancellationToken.None);
    }

    // Trial A §5: monitor --check had open alerts on the release while the after stage was green.
    [Fact]
    public async Task Checklist_StageAfterWithADriftAlertOfTheRelease_FailsNamingItUntilTwoWindowsPass()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");
        var now = app.Time.GetUtcNow();
        await AlertAsync(app, "v1", "error_rate", now.AddMinutes(-5));   // another release's alert does not count
        await AlertAsync(app, "v2", "latency", now.AddMinutes(-90));
        await AlertAsync(app, "v2", "latency", now.AddMinutes(-10));

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.Equal(1, code);
        var row = Row(json, "drift alerts");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        var measured = row.GetProperty("measured").GetString()!;
        Assert.StartsWith("1 open drift alert(s) of v2 on production: latency (al-", measured, StringComparison.Ordinal);
        Assert.Contains("×1.490", measured, StringComparison.Ordinal);
        Assert.DoesNotContain("error_rate", measured, StringComparison.Ordinal);
        Assert.Contains("glidepath monitor --env production", row.GetProperty("action").GetString(), StringComparison.Ordinal);
        var revision = (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production").GetProperty("revision").GetInt64();
        Assert.Contains($"roll back (glidepath rollback --env production --expect-revision {revision})", row.GetProperty("action").GetString(), StringComparison.Ordinal);

        // Past two windows the alerts are closed; a day and a window after v2 became stable the monitor can compare it, but
        // with no traffic in the last window it compared nothing: a skip, not a pass.
        app.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(111));
        var (later, after) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after", "--traces-within", "2d");
        Assert.True(later == 0, after.ToString());
        Assert.True("skip" == Row(after, "drift alerts").GetProperty("status").GetString(), Row(after, "drift alerts").ToString());
        Assert.StartsWith("drift not compared: the last 1h window compared no metric of v2 on production", Row(after, "drift alerts").GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial drift #2: a host a day ahead raised alerts dated tomorrow; the row listed them with no hint the clock was wrong.
    [Fact]
    public async Task Checklist_DriftAlertDatedADayAhead_RowSaysAHostWhoseClockWasAheadRaisedIt()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");
        await AlertAsync(app, "v2", "latency", app.Time.GetUtcNow().AddDays(1));

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.Equal(1, code);
        Assert.Contains("24 h after now: raised by a host whose clock was ahead", Row(json, "drift alerts").GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Newcomer trial M1: right after a rollout 'monitor --check' said "Nothing compared: not ready … (ready at …)", yet the
    // drift row was ✓ pass. No comparison is no evidence: the row skips, naming when the monitor can compare.
    [Fact]
    public async Task Checklist_ReleaseJustStableAndNoAlert_DriftRowSkipsWithReadyAtUntilTheMonitorCanCompare()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.True(code == 0, json.ToString());
        var row = Row(json, "drift alerts");
        Assert.Equal("skip", row.GetProperty("status").GetString());
        Assert.StartsWith("drift not compared yet: ready at 2026-11-21 09:00 UTC", row.GetProperty("measured").GetString(), StringComparison.Ordinal);

        app.Time.Advance(TimeSpan.FromHours(25));
        var (later, after) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after", "--traces-within", "2d");
        Assert.True(later == 0, after.ToString());
        Assert.StartsWith("drift not compared: the last 1h window", Row(after, "drift alerts").GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial drift #3: at modest traffic the online scores were not_enough_data in 141 of 141 checks, and the row passed
    // saying only "no open drift alert". It passes now on what the last window compared and names what it did not.
    [Fact]
    public async Task Checklist_StableReleaseWithTrafficButNoOnlineScores_DriftRowPassesNamingTheMetricsNotCompared()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");
        app.Time.Advance(TimeSpan.FromHours(26));
        var now = app.Time.GetUtcNow();
        // 300 requests an hour from 40 subjects, 1 in 30 scored online: ten scores a window, too few to compare.
        static TraceRecord Shape(int i, TraceRecord t) => t with
        {
            SubjectHash = $"s{i % 40}",
            OnlineScore = i % 30 == 0 ? 1 : null,
            OnlinePassed = i % 30 == 0 ? true : null,
            OnlineScoresJson = i % 30 == 0 ? ScorerPass : null,
        };
        await app.WriteTracesAsync("production", "v2", now.AddHours(-25), TimeSpan.FromHours(1), 300, shape: Shape);
        await app.WriteTracesAsync("production", "v2", now.AddHours(-1), TimeSpan.FromHours(1), 300, shape: Shape);

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after", "--traces-within", "2d");

        Assert.True(code == 0, json.ToString());
        var row = Row(json, "drift alerts");
        Assert.Equal("pass", row.GetProperty("status").GetString());
        var measured = row.GetProperty("measured").GetString()!;
        Assert.StartsWith("no open drift alert of v2 on production (none raised within two monitor windows); the last 1h window compared ", measured, StringComparison.Ordinal);
        Assert.True(measured.Contains(", not: ", StringComparison.Ordinal) && measured.Contains("online_score (", StringComparison.Ordinal), measured);
        Assert.Contains("online_pass_rate (", measured, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[:;] latency \(", measured); // latency was compared
        Assert.Contains("first_token_latency (0 answered streams", measured, StringComparison.Ordinal); // no stream: nothing to compare
    }

    // Review: the row ran the comparison and passed on "no open drift alert" while that comparison showed drift that no
    // monitor had raised (none running). It fails now, naming the metric.
    [Fact]
    public async Task Checklist_LastWindowDriftedButNoMonitorRaisedIt_DriftRowFailsNamingTheMetric()
    {
        await using var app = await ScenarioAsync(null);
        await app.OkAsync("rollout", "promote", "--env", "production", "--full");
        app.Time.Advance(TimeSpan.FromHours(26));
        var now = app.Time.GetUtcNow();
        await app.WriteTracesAsync("production", "v2", now.AddHours(-25), TimeSpan.FromHours(1), 300, shape: (i, t) => t with { SubjectHash = $"s{i % 40}" });
        await app.WriteTracesAsync("production", "v2", now.AddHours(-1), TimeSpan.FromHours(1), 300, shape: (i, t) => t with { SubjectHash = $"s{i % 40}", LatencyMs = t.LatencyMs * 3 });

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after", "--traces-within", "2d");

        var row = Row(json, "drift alerts");
        Assert.True("fail" == row.GetProperty("status").GetString(), row.ToString());
        Assert.Equal(1, code);
        Assert.StartsWith("the last 1h window shows drift of v2 on production that no alert records: latency ", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Contains("glidepath monitor --env production --check", row.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_ReleaseStillACanaryAndNoAlert_DriftRowSkipsAsTheMonitorComparesOnlyTheStableRelease()
    {
        await using var app = await ScenarioAsync(null);

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.True(code == 0, json.ToString());
        var row = Row(json, "drift alerts");
        Assert.Equal("skip", row.GetProperty("status").GetString());
        Assert.StartsWith("drift not compared yet: v2 is not the stable release of production", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // The row read the environment's newest 500 alerts: an open alert behind 500 newer ones (of another release) was missed.
    [Fact]
    public async Task Checklist_OpenAlertOlderThan500NewerAlertsOfTheEnvironment_DriftRowStillFails()
    {
        await using var app = await ScenarioAsync(null);
        var now = app.Time.GetUtcNow();
        await AlertAsync(app, "v2", "latency", now.AddMinutes(-30));
        await using (var store = await app.OpenStoreAsync())
        {
            for (var i = 0; i < 501; i++)
            {
                await AlertAsync(store, app, "v1", "error_rate", now.AddMinutes(-20));
            }
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "after");

        Assert.Equal(1, code);
        Assert.StartsWith("1 open drift alert(s) of v2 on production: latency (al-", Row(json, "drift alerts").GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial A §1: the checklist's eval gate row counts only a verdict computed with today's scorers.
    [Fact]
    public async Task Checklist_NewestPassComputedWithOtherScorers_GateRowFailsSayingOtherScorers()
    {
        await using var app = await ScenarioAsync("eval gate");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(app.Dir, "evals", "support.jsonl"))));
        await using (var store = await app.OpenStoreAsync())
        {
            await store.GateVerdicts.SaveAsync(new GateVerdictRecord("gv-weak", "support-agent", app.Ids["v2"], app.Ids["v1"], sha, "pass",
                "scorers-without-the-guard", app.Time.GetUtcNow(), "{}"), CancellationToken.None);
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");

        Assert.Equal(1, code);
        var row = Row(json, "eval gate");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.StartsWith("verdicts for v2 against v1+", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.Contains("exist, but for another dataset or other scorers", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial ci D1: the checklist's eval gate row counts only a verdict computed under the gate rule in force.
    [Fact]
    public async Task Checklist_NewestPassComputedUnderALoosenedRule_GateRowFailsNamingTheRule()
    {
        await using var app = await ScenarioAsync("eval gate");
        var basis = await GateBasis.CurrentAsync(ManifestParser.Load(app.Manifest), CancellationToken.None);
        var loosened = basis.Rule with { MaxCaseRegressions = 100 };
        await using (var store = await app.OpenStoreAsync())
        {
            await store.GateVerdicts.SaveAsync(new GateVerdictRecord("gv-loose", "support-agent", app.Ids["v2"], app.Ids["v1"], basis.DatasetSha256, "pass",
                basis.ScorerVersion, app.Time.GetUtcNow(), "{}") { GateRule = loosened.Json, GateRuleSha256 = loosened.Sha256 }, CancellationToken.None);
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");

        Assert.Equal(1, code);
        var row = Row(json, "eval gate");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.EndsWith("was computed under another gate rule (max_case_regressions 100, now 0)", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
    }

    // Trial A §7: newest counts; the row says how many runs of the same pair on the same dataset and scorers blocked before the pass.
    [Fact]
    public async Task Checklist_PassAfterBlocksOfTheSamePair_GateRowPassesNamingTheEarlierBlocks()
    {
        await using var app = await ScenarioAsync(null);
        var basis = await GateBasis.CurrentAsync(ManifestParser.Load(app.Manifest), CancellationToken.None);
        await using (var store = await app.OpenStoreAsync())
        {
            var now = app.Time.GetUtcNow();
            foreach (var (id, result, minutes) in new[] { ("gv-b1", "blocked", -30), ("gv-b2", "blocked", -20), ("gv-p", "pass", 5) })
            {
                await store.GateVerdicts.SaveAsync(new GateVerdictRecord(id, "support-agent", app.Ids["v2"], app.Ids["v1"], basis.DatasetSha256, result,
                    basis.ScorerVersion, now.AddMinutes(minutes), "{}") { GateRule = basis.Rule.Json, GateRuleSha256 = basis.Rule.Sha256 }, CancellationToken.None);
            }
        }

        var (code, json) = await app.JsonWithCodeAsync("checklist", "v2", "--env", "production", "--stage", "before");

        Assert.True(code == 0, json.ToString());
        var measured = Row(json, "eval gate").GetProperty("measured").GetString()!;
        Assert.StartsWith("passed against v1+", measured, StringComparison.Ordinal);
        Assert.EndsWith("(2 earlier runs of this pair blocked)", measured, StringComparison.Ordinal);
    }

    private static Task DrillAsync(Storage.Sqlite.SqliteStore store, string environment, DateTimeOffset time, bool passed) =>
        DrillEventAsync(store, environment, time, "rollback drill",
            $$"""{"passed":{{(passed ? "true" : "false")}},"rollback_served_ms":310,"phase":"result"}""");

    /// <summary>A drill event of the given phase (candidate_on, rollback, result), as glidepath drill writes it.</summary>
    private static Task DrillPhaseAsync(Storage.Sqlite.SqliteStore store, string environment, DateTimeOffset time, string phase) =>
        DrillEventAsync(store, environment, time, "rollback drill: " + phase,
            phase == "result" ? """{"passed":true,"rollback_served_ms":310,"phase":"result"}""" : $$"""{"phase":"{{phase}}"}""");

    private static async Task DrillEventAsync(Storage.Sqlite.SqliteStore store, string environment, DateTimeOffset time, string reason, string detailsJson)
    {
        var state = await store.Environments.GetAsync("support-agent", environment, CancellationToken.None);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "support-agent",
            Environment = environment,
            ExpectedRevision = state.Revision,
            NewState = state,
            Event = new EnvironmentEvent
            {
                App = "support-agent",
                Environment = environment,
                Revision = 0,
                Kind = "drill",
                Actor = "test",
                Reason = reason,
                Time = time,
                FromReleaseId = state.StableReleaseId,
                ToReleaseId = state.StableReleaseId,
                DetailsJson = detailsJson,
            },
        }, CancellationToken.None);
    }
}
