using System.Text.Json;
using Glidepath.Cli.Tests.Environments;
using Glidepath.Cli.Tests.Shadow;
using Glidepath.Errors;
using Glidepath.Routing;
using static Glidepath.Cli.Tests.Rollouts.RolloutCliTests;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// An outside trial (H1): promote and rollout start took a release minutes after the canary judge rolled it back for
/// harm, or a shadow judged it harm, against the same stable; then real users got 502s. The judge's recorded harm refuses.
/// </summary>
public sealed class RolloutHarmGateCliTests
{
    /// <summary>Starts a rollout of v2 in <paramref name="app"/>, sends a canary that fails 30% of calls and has the controller judge it: rolled back for harm. Returns the rollout's id.</summary>
    private static async Task<string> RolledBackForHarmAsync(EnvApp app, params string[] startFlags)
    {
        var started = await app.JsonAsync(["rollout", "start", "v2", "--env", "production", "--min-requests", "50", .. startFlags]);
        await TrafficAsync(app, "v2", Arm.Canary, 600, errorRate: 0.3);
        await TrafficAsync(app, "v1", Arm.Stable, 3000, errorRate: 0);
        await TickAsync(app);
        var (code, status, _) = await app.RunAsync("rollout", "status", "--env", "production", "--format", "json");
        Assert.Equal(ExitCodes.Negative, code);
        using var doc = JsonDocument.Parse(status);
        Assert.Equal("harm", doc.RootElement.GetProperty("last_decision").GetProperty("cause").GetString());
        return started.GetProperty("rollout").GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task PromoteAndRolloutStart_AfterTheJudgeRolledItBackForHarm_Exit4NamingTheRolloutAndItsEvidence()
    {
        await using var app = await ReadyAsync();
        var id = await RolledBackForHarmAsync(app);

        var (promoted, _, promoteErr) = await app.RunAsync("promote", "v2", "--env", "production");
        var (started, _, startErr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        var (_, checklist, _) = await app.RunAsync("checklist", "v2", "--env", "production", "--stage", "rollout", "--format", "json");

        Assert.Equal(ExitCodes.Refused, promoted);
        Assert.Equal(ExitCodes.Refused, started);
        foreach (var stderr in new[] { promoteErr, startErr })
        {
            Assert.Matches($@"the judge found harm in v2 on production: rollout {id} was rolled back for harm at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC against v1 \(harm: error_rate \+", stderr);
            Assert.Contains("fix it and register the fix as a new release; run: glidepath history --env production", stderr, StringComparison.Ordinal);
            Assert.Contains("to override, add --force --reason", stderr, StringComparison.Ordinal);
        }

        Assert.Equal("v1", await app.StableAsync("production"));

        // The checklist said only "no active or completed rollout of v2", hiding the rollback for harm.
        using var json = JsonDocument.Parse(checklist);
        var row = json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("check").GetString() == "canary first");
        Assert.Equal("fail", row.GetProperty("status").GetString());
        Assert.StartsWith($"no active or completed rollout of v2 on production: rollout {id} was rolled back for harm at ", row.GetProperty("measured").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Stop: the judge rolled v2 back for harm on real traffic", row.GetProperty("action").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ForcedPastTheJudgesHarm_RecordsTheOverrideAndTheVerdict()
    {
        await using var app = await ReadyAsync();
        var id = await RolledBackForHarmAsync(app);

        await app.OkAsync("promote", "v2", "--env", "production", "--force", "--reason", "the errors were the provider's outage");

        var ev = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray().Last();
        Assert.Equal(("promote", true), (ev.GetProperty("kind").GetString(), ev.GetProperty("forced").GetBoolean()));
        var details = ev.GetProperty("details");
        Assert.StartsWith($"the judge found harm in v2 on production: rollout {id} ", Assert.Single(details.GetProperty("overridden").EnumerateArray()).GetString(), StringComparison.Ordinal);
        var harm = details.GetProperty("judged_harm");
        Assert.Equal(("rollout", id, app.Ids["v1"]), (harm.GetProperty("kind").GetString(), harm.GetProperty("id").GetString(), harm.GetProperty("against_release_id").GetString()));
        Assert.StartsWith("harm: error_rate", harm.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Equal("v2", await app.StableAsync("production"));
    }

    [Fact]
    public async Task Promote_AfterAShadowStoppedAtHarm_Exit4NamingTheShadow()
    {
        await using var app = await ReadyAsync();
        var shadow = (await app.JsonAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5")).GetProperty("shadow").GetProperty("shadow_id").GetString();
        await ShadowPairs.WriteAsync(app, 600, 0.2);
        await app.OkAsync("shadow", "stop", "--env", "production");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains($"the judge found harm in v2 on production: shadow {shadow} was stopped with the judge's decision harm at ", stderr, StringComparison.Ordinal);
        Assert.Contains("against v1 (candidate is worse than stable on the same inputs: error_rate", stderr, StringComparison.Ordinal);
        Assert.Equal("v1", await app.StableAsync("production"));
    }

    // The comparison with v1 no longer holds once v3 is stable: said in a note, not refused.
    [Fact]
    public async Task PromoteAndRolloutStart_HarmAgainstAnEarlierStable_GoThroughWithANote()
    {
        await using var app = await EnvApp.CreateAsync(3);
        await app.DeployAllToStagingAsync();
        await app.OkAsync("promote", "v1", "--env", "production");
        await app.SaveVerdictAsync("v2", "v1", "pass");
        var id = await RolledBackForHarmAsync(app);
        await app.SaveVerdictAsync("v3", "v1", "pass");
        await app.OkAsync("promote", "v3", "--env", "production");
        await app.SaveVerdictAsync("v2", "v3", "pass");

        var (started, _, startErr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production");
        var (promoted, _, promoteErr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.True(started == 0, startErr);
        Assert.True(promoted == 0, promoteErr);
        foreach (var stderr in new[] { startErr, promoteErr })
        {
            Assert.Contains($"note: v2 has an earlier verdict of harm on production: rollout {id} was rolled back for harm at ", stderr, StringComparison.Ordinal);
            Assert.Contains("production's stable is v3 now, so that comparison no longer holds and does not refuse this", stderr, StringComparison.Ordinal);
        }

        Assert.Equal("v2", await app.StableAsync("production"));
    }

    // A rollout aborted by hand is no verdict: it neither refuses the release nor clears a harm the judge found before it.
    [Fact]
    public async Task RolloutAbortedByHand_IsNotRefused_AndDoesNotClearAnEarlierHarm()
    {
        await using var app = await ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "wrong window");
        var id = await RolledBackForHarmAsync(app);
        await app.OkAsync("rollout", "start", "v2", "--env", "production", "--force", "--reason", "look again");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "it fails again");

        var (code, _, stderr) = await app.RunAsync("promote", "v2", "--env", "production");

        Assert.Equal(ExitCodes.Refused, code);
        Assert.Contains($"rollout {id} was rolled back for harm", stderr, StringComparison.Ordinal);
        var forced = (await app.JsonAsync("history", "--env", "production")).GetProperty("events").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "rollout_started" && e.GetProperty("forced").GetBoolean());
        Assert.Equal(id, forced.GetProperty("details").GetProperty("judged_harm").GetProperty("id").GetString());
    }
}
