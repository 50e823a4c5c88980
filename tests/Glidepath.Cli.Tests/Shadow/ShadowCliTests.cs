using Glidepath.Cli.Tests.Environments;
using Glidepath.Shadow;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Shadow;

public sealed class ShadowCliTests
{
    /// <summary>v1 stable in production (through staging), v2 registered and gated against v1.</summary>
    internal static async Task<EnvApp> ReadyAsync()
    {
        var app = await EnvApp.CreateAsync(2);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        return app;
    }

    [Fact]
    public async Task StartStatusStop_RecordsBothInHistoryAndStatusShowsPairsAndDecision()
    {
        await using var app = await ReadyAsync();

        var started = await app.JsonAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1", "--max-cost-usd", "5", "--reason", "try v2");
        await ShadowPairs.WriteAsync(app, 30, 0);
        var status = await app.JsonAsync("status");
        var (_, statusText, _) = await app.RunAsync("status");
        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var stopped = await app.JsonAsync("shadow", "stop", "--env", "production", "--reason", "enough");

        var shadow = started.GetProperty("shadow");
        Assert.Equal(("v2", 0.1, 5.0, true), (shadow.GetProperty("candidate").GetProperty("name").GetString(), shadow.GetProperty("rate").GetDouble(), shadow.GetProperty("max_cost_usd").GetDouble(), shadow.GetProperty("active").GetBoolean()));
        var production = status.GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");
        Assert.Equal(("v2", 0.1), (production.GetProperty("shadow").GetProperty("release").GetProperty("name").GetString(), production.GetProperty("shadow").GetProperty("rate").GetDouble()));
        Assert.Contains("production: shadow sh-", statusText, StringComparison.Ordinal);
        Assert.Equal(0, code);
        Assert.Contains("pairs 30, candidate spend $0.06 of $5", text, StringComparison.Ordinal);
        Assert.Contains("paired differences, candidate − stable", text, StringComparison.Ordinal);
        Assert.Contains("judge: collecting", text, StringComparison.Ordinal);
        Assert.Equal((false, 30L), (stopped.GetProperty("shadow").GetProperty("active").GetBoolean(), stopped.GetProperty("shadow").GetProperty("pairs").GetInt64()));
        var history = await app.JsonAsync("history", "--env", "production");
        var kinds = history.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["shadow_start", "shadow_stop"], kinds.Where(k => k!.StartsWith("shadow", StringComparison.Ordinal)));
        Assert.Null(await StateShadowAsync(app));
    }

    [Theory]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "1.5")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-cost-usd", "-1")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-cost-usd", "NaN")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-cost-usd", "Infinity")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-cost-usd", "-Infinity")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "NaN")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "Infinity")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "1e-300")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.0000009")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-requests", "0")]
    [InlineData(ExitCodes.BadInput, "v2", "--rate", "0.1", "--max-requests", "1e3")]
    [InlineData(ExitCodes.BadInput, "v9", "--rate", "0.1")]
    [InlineData(ExitCodes.Refused, "v1", "--rate", "0.1")]
    public async Task Start_BadOrRefused_ExitsWithItsCodeAndWritesNothing(int expected, params string[] args)
    {
        await using var app = await ReadyAsync();

        var (code, _, stderr) = await app.RunAsync(["shadow", "start", .. args, "--env", "production"]);

        Assert.True(code == expected, stderr);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", stderr, StringComparison.Ordinal);
        Assert.Null(await StateShadowAsync(app));
    }

    // A trial's stop event said "stopped after 0 pairs" while status later showed 4: the calls in flight at the stop.
    [Fact]
    public async Task Status_PairsStoredAfterTheStop_SaysHowManyBesideWhatTheStopEventRecorded()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, 30, 0);
        var stopped = await app.JsonAsync("shadow", "stop", "--env", "production");
        var id = stopped.GetProperty("shadow").GetProperty("shadow_id").GetString();
        await ShadowPairs.WriteAsync(app, 4, 0, prefix: 'y', shadowId: id);

        var (_, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var json = await app.JsonAsync("shadow", "status", "--env", "production");

        Assert.Equal(30L, stopped.GetProperty("shadow").GetProperty("pairs_at_stop").GetInt64());
        Assert.Contains("pairs 34,", text, StringComparison.Ordinal);
        Assert.Contains("4 of these pairs were stored after the stop (calls already in flight when it was stopped); the shadow_stop event recorded 30", text, StringComparison.Ordinal);
        Assert.Equal((34L, 30L), (json.GetProperty("shadow").GetProperty("pairs").GetInt64(), json.GetProperty("shadow").GetProperty("pairs_at_stop").GetInt64()));
    }

    // A trial's "--max-cost-usd 0.0003" printed "until $0 spent", and status "of $0".
    [Fact]
    public async Task StartAndStatus_SmallestRateAndASmallCostCap_PrintedWithoutRoundingToZero()
    {
        await using var app = await ReadyAsync();

        var (code, started, stderr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.000001", "--max-cost-usd", "0.0003");
        var (_, status, _) = await app.RunAsync("shadow", "status", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("started: 0.0001% of stable", started, StringComparison.Ordinal);
        Assert.Contains("gateway and SDK app serving production mirrors them", started, StringComparison.Ordinal); // trial sdkapp2 LOW 2
        Assert.Contains("until $0.0003 spent", started, StringComparison.Ordinal);
        Assert.Contains("at 0.0001% of stable requests until $0.0003 spent", status, StringComparison.Ordinal);
        Assert.Contains("candidate spend $0 of $0.0003", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhileOneIsActive_Exits4NamingIt()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.2");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("already has an active shadow", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FrozenEnvironment_Exits4()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("freeze", "--env", "production", "--reason", "incident");

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains("frozen", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAndStatus_NoShadow_StopRefusedExit4_StatusBadInputExit2()
    {
        // Status of an environment that never had a shadow is a read of nothing: exit 2, as rollout status of one that
        // never had a rollout (trial newcomer3 L7); stopping none is refused (4).
        await using var app = await ReadyAsync();

        Assert.Equal(ExitCodes.Refused, (await app.RunAsync("shadow", "stop", "--env", "production")).Code);
        var status = await app.RunAsync("shadow", "status", "--env", "production");
        Assert.Equal(ExitCodes.BadInput, status.Code);
        Assert.Contains("environment 'production' has had no shadow; start one with: glidepath shadow start REF --env production --rate 0.1", status.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CandidateFailingAFifthOfPairs_HarmAndExit1()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.1");
        await ShadowPairs.WriteAsync(app, 600, 0.2);

        var (code, stdout, _) = await app.RunAsync("shadow", "status", "--env", "production", "--format", "json");

        Assert.Equal(ExitCodes.Negative, code);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("harm", json.RootElement.GetProperty("shadow").GetProperty("outcome").GetString());
        Assert.Contains("error_rate", json.RootElement.GetProperty("shadow").GetProperty("decision").GetString(), StringComparison.Ordinal);
        var checklist = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout");
        Assert.Contains("answered worse than the stable release", checklist.Stdout, StringComparison.Ordinal);
    }

    // Trial shadowcaps #8: the refusal said "Run one with: glidepath shadow start …", which is refused while a shadow is
    // active. It says to wait for the release's own shadow, or to stop another first.
    [Fact]
    public async Task RolloutStartRequireShadow_WhileAShadowIsActive_AdviceThatWorks()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");

        var (own, _, ownErr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");

        Assert.Equal(ExitCodes.Refused, own);
        Assert.Matches(@"Wait for shadow sh-[0-9a-f]+ to say pass: glidepath shadow status --env production --watch", ownErr);
        Assert.DoesNotContain("glidepath shadow start", ownErr, StringComparison.Ordinal);
    }

    // Trial dash2 #3: the refusal said to wait for a shadow whose cap was reached, which mirrors nothing more and will
    // never say pass. It says so, and how to run one with a larger cap.
    [Fact]
    public async Task RolloutStartRequireShadow_ActiveShadowAtItsCapStillCollecting_SaysItWillNotPassAndToRaiseTheCap()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "60");
        await ShadowPairs.WriteAsync(app, 60, 0);

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Matches(@"Shadow sh-[0-9a-f]+ has reached its cap \(60 pairs of the 60 it may store\) and mirrors no more requests, so it will not say pass\.", stderr);
        Assert.Contains("glidepath shadow stop --env production, then glidepath shadow start v2 --env production --rate 0.5 --max-requests 1313, and wait for", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Wait for shadow", stderr, StringComparison.Ordinal);
    }

    // Outside trial: gateways killed with kill -9 held the rest of a shadow's caps, so it stored nothing more, and the
    // refusal said to wait for a pass that could not come. It says that the claims come back after the lease, or to start anew.
    [Fact]
    public async Task RolloutStartRequireShadow_ActiveShadowStalledOnDeadGatewaysClaims_SaysTheyComeBackAfterTheLease()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "60");
        await ShadowPairs.ClaimAsync(app, 60, "killed-gateway", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));

        var (code, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Matches(@"Shadow sh-[0-9a-f]+ has stored 0 pair\(s\) \(\$0[.0-9]*\), below its caps, but its caps are all claimed and no pair was stored for 60 s or more: 1 gateway\(s\) that stopped renewing", stderr);
        Assert.Contains("glidepath shadow stop --env production, then glidepath shadow start v2 --env production --rate 0.5 --max-requests 60", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Wait for shadow", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolloutStartRequireShadow_WithoutThenWithAPassedShadow_RefusedThenStarted()
    {
        await using var app = await ReadyAsync();

        var (refused, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, 3000, 0);
        var (statusCode, status, _) = await app.RunAsync("shadow", "status", "--env", "production");
        await app.OkAsync("shadow", "stop", "--env", "production");
        var (started, _, startErr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");

        Assert.Equal(ExitCodes.Refused, refused);
        Assert.Contains("no shadow of v2 has run in production", stderr, StringComparison.Ordinal);
        Assert.True(statusCode == 0, status);
        Assert.Contains("judge: pass", status, StringComparison.Ordinal);
        Assert.True(started == 0, startErr);
        var (_, checklist, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout", "--format", "json");
        Assert.Contains("passed on 3000 pairs", checklist, StringComparison.Ordinal);
    }

    // A trial's CI step 'shadow status --watch && …' went on after a shadow capped at 60 pairs (200 needed) ended
    // still collecting: exit 0. Ending without a decision is not a pass; the start warns that the cap cannot pass.
    // An outside trial: 'status' said an active shadow whose cap was reached still mirrored its share of requests.
    [Fact]
    public async Task Status_ActiveShadowAtItsCap_SaysItMirrorsNothing()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "60");
        var (_, before, _) = await app.RunAsync("status");
        await ShadowPairs.WriteAsync(app, 60, 0);

        var (_, after, _) = await app.RunAsync("status");
        var row = (await app.JsonAsync("status")).GetProperty("environments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "production");

        Assert.Matches(@"production: shadow sh-\w+ mirrors 50% of stable's requests to v2\+\w+", before);
        Assert.Matches(@"production: shadow sh-\w+ of v2\+\w+ mirrors nothing: its cap is reached \(glidepath shadow status --env production; end it: glidepath shadow stop --env production\)", after);
        Assert.True(row.GetProperty("shadow").GetProperty("cap_reached").GetBoolean());
        Assert.False(row.GetProperty("shadow").GetProperty("candidate_is_stable").GetBoolean());
    }

    [Fact]
    public async Task StatusWatch_ShadowEndedStillCollecting_Exit1SayingSo_StartWarnedOfTheSmallCap()
    {
        await using var app = await ReadyAsync();
        var (startCode, _, startErr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "60");
        await ShadowPairs.WriteAsync(app, 60, 0);
        await app.OkAsync("shadow", "stop", "--env", "production");

        var (watchCode, _, watchErr) = await app.RunAsync("shadow", "status", "--env", "production", "--watch");
        var (plainCode, _, _) = await app.RunAsync("shadow", "status", "--env", "production");

        Assert.Equal(0, startCode);
        Assert.Contains("--max-requests 60 is below the 1313 pairs a pass needs under this plan", startErr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Negative, watchCode);
        Assert.Contains("the shadow was stopped before the judge decided (", watchErr, StringComparison.Ordinal);
        Assert.Equal(0, plainCode);
    }

    // A release does not change: a shadow of it judged harm stays evidence, and a pass from another shadow of it (older,
    // or started again until one passes) does not let it through.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RequireShadowAndChecklist_AShadowJudgedHarm_OutweighsAnotherShadowsPass(bool passFirst)
    {
        await using var app = await ReadyAsync();
        foreach (var (errors, prefix) in passFirst ? new[] { (0.0, 'p'), (0.2, 'h') } : [(0.2, 'h'), (0.0, 'p')])
        {
            await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
            await ShadowPairs.WriteAsync(app, errors > 0 ? 600 : 3000, errors, prefix);
            await app.OkAsync("shadow", "stop", "--env", "production");
        }

        var (refused, _, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production", "--require-shadow");
        var (_, checklist, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout");
        var (status, _, statusErr) = await app.RunAsync("shadow", "status", "--env", "production");

        // The latest shadow's own verdict is harm, or a pass that the earlier harm outweighs: exit 1 either way.
        Assert.Equal(ExitCodes.Negative, status);
        Assert.Equal(!passFirst, statusErr.Contains("this pass does not undo that", StringComparison.Ordinal));

        Assert.Equal(ExitCodes.Refused, refused);
        Assert.Contains("was judged harm (candidate is worse than stable on the same inputs: error_rate", stderr, StringComparison.Ordinal);
        Assert.Contains("a later shadow's pass does not undo that", stderr, StringComparison.Ordinal);

        // An outside trial: the refusal went on to advise running another shadow of v2 and waiting for a pass, which
        // cannot help; the way on is a new release.
        Assert.Contains("register the fix as a new release (glidepath release create) and shadow that: glidepath shadow start REF --env production", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Run one with", stderr, StringComparison.Ordinal);
        Assert.Contains("answered worse than the stable release", checklist, StringComparison.Ordinal);
        Assert.DoesNotContain("passed on 3000 pairs", checklist, StringComparison.Ordinal);
    }

    private static async Task<Glidepath.Environments.ShadowState?> StateShadowAsync(EnvApp app)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        return (await store.Environments.GetAsync("support-agent", "production", CancellationToken.None)).Shadow;
    }
}
