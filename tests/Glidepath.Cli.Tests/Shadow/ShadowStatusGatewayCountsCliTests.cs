using Glidepath.Shadow;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Shadow;

/// <summary>
/// An outside newcomer trial (newcomer4): <c>shadow status</c> gave no sign of what was not mirrored, <c>shadow stop</c>'s
/// count did not read as the pairs stored, and a watch stopped with Ctrl-C was reported as exiting 0.
/// </summary>
public sealed class ShadowStatusGatewayCountsCliTests
{
    // L1: what the store knows (what the gateways claimed of the caps beside what is stored) is shown; what only a gateway
    // counts (drops, capped, failed writes, a pair writer behind) is named with where to read it, never made up.
    [Fact]
    public async Task Status_ShowsWhatGatewaysClaimedBesideThePairsStored_AndNamesWhereTheyCountWhatWasNotMirrored()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "100", "--max-cost-usd", "5");
        await ShadowPairs.WriteAsync(app, 4, 0);
        await ClaimAsync(app, new ShadowSpend(10, 0.5), new ShadowSpend(100, 5));

        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var shadow = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow");

        Assert.Equal(0, code);
        Assert.Contains("  claimed by gateways: 14 of 100 requests (10 with no pair stored: held by a running gateway, in flight, or lost", text, StringComparison.Ordinal);
        Assert.Contains("  not mirrored: counted by each gateway, not in the store, so not here: on its /metrics glidepath_shadow_dropped_total{reason}: queue_full, capture_budget, shadow_ended, frozen, stopped, store_unreachable (the shadow's spend or a claim on its caps could not be read from the store); glidepath_shadow_capped_total", text, StringComparison.Ordinal);
        Assert.Contains("on its /readyz store_writes", text, StringComparison.Ordinal);
        var claimed = shadow.GetProperty("claimed");
        Assert.Equal((14L, 10L), (claimed.GetProperty("requests").GetInt64(), claimed.GetProperty("requests_not_stored").GetInt64()));
        Assert.Equal(0.508, claimed.GetProperty("cost_usd").GetDouble(), 6);
        var counted = shadow.GetProperty("not_mirrored_counted_on_gateways");
        Assert.StartsWith("glidepath_shadow_dropped_total{reason}", counted.GetProperty("dropped").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("glidepath_shadow_capped_total", counted.GetProperty("capped").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("glidepath_shadow_failed_total", counted.GetProperty("failed").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("/readyz store_writes", counted.GetProperty("pair_writes").GetString(), StringComparison.Ordinal);
    }

    // Before any gateway claimed (or without a cap) there is nothing claimed to show: no line, and null in the JSON.
    [Fact]
    public async Task Status_NothingClaimedYet_NoClaimsLineAndNullInTheJson()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "100");

        var (_, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var shadow = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow");

        Assert.DoesNotContain("claimed by gateways", text, StringComparison.Ordinal);
        Assert.Contains("  not mirrored: counted by each gateway", text, StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, shadow.GetProperty("claimed").ValueKind);
    }

    // L8: the stop names the pairs stored for the shadow, in the text and in the JSON.
    [Fact]
    public async Task Stop_SaysHowManyPairsWereStored_TextAndJson()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, 30, 0);
        var json = await app.JsonAsync("shadow", "status", "--env", "production");

        var (code, text, _) = await app.RunAsync("shadow", "stop", "--env", "production");

        Assert.Equal(0, code);
        Assert.Matches(@"^production: shadow sh-[0-9a-f]{12} of v2\+[0-9a-f]{8} stopped: 30 pairs stored \(they stay as evidence\), candidate spend \$0\.06, 0 candidate errors — judge: ", text);
        Assert.Equal(30, json.GetProperty("shadow").GetProperty("pairs").GetInt64());
        var stopped = await app.JsonAsync("shadow", "status", "--env", "production");
        Assert.Equal((30L, 30L), (stopped.GetProperty("shadow").GetProperty("pairs").GetInt64(), stopped.GetProperty("shadow").GetProperty("pairs_at_stop").GetInt64()));
    }

    // L3: Ctrl-C ends a watch with exit 130 (interrupted: never 0, no pass was seen), as rollout status --watch does,
    // saying the shadow goes on, and a JSON Lines reader gets no error object after the status documents.
    [Fact]
    public async Task StatusWatch_CtrlC_Exits130SayingTheShadowGoesOn_WithNoErrorObjectInTheJsonLines()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        using var stopped = new CancellationTokenSource();
        await stopped.CancelAsync();
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(
            ["shadow", "status", "--env", "production", "--watch", "--format", "json", "--manifest", app.Manifest, "--store", app.StorePath],
            stdout, stderr, isTerminal: false, stopped.Token);

        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Contains("stopped watching; the shadow goes on (watching changed nothing)", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("saved", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", stdout.ToString(), StringComparison.Ordinal);
    }

    // Outside trial shadowcaps3 (MEDIUM): killed gateways held every claim of a shadow stuck below its cap, and status said
    // "active" with nothing amiss. It now says the shadow is stalled and why, in text and JSON.
    [Fact]
    public async Task Status_CapsAllClaimedByAGatewayThatStoppedRenewing_SaysStalledAndHowItComesBack()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "60");
        await ShadowPairs.ClaimAsync(app, 60, "killed-gateway", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));

        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var claimed = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow").GetProperty("claimed");

        Assert.True(code == 0, text);
        Assert.Contains("claimed by gateways: 60 of 60 requests (60 with no pair stored", text, StringComparison.Ordinal);
        Assert.Contains("  stalled: the caps are all claimed, below them, and no pair was stored for 60 s or more; 1 gateway(s) stopped renewing their claims", text, StringComparison.Ordinal);
        Assert.True(claimed.GetProperty("stalled").GetBoolean());
        Assert.Equal(1, claimed.GetProperty("lapsed_holders").GetInt32());
    }

    private static async Task ClaimAsync(Environments.EnvApp app, ShadowSpend want, ShadowSpend caps)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var id = (await store.Environments.GetAsync("support-agent", "production", CancellationToken.None)).Shadow!.ShadowId;
        await store.Shadows.ClaimAsync(id, "gateway-test", want, caps, DateTimeOffset.UtcNow, CancellationToken.None);
    }
}
