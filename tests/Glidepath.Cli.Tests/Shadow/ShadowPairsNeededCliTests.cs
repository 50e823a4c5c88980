using Glidepath.Cli.Tests.Environments;
using Glidepath.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Shadow;

/// <summary>
/// The pairs a shadow's pass needs, said where it matters (trial shadowcaps #4): <c>shadow start</c> warns when a cap stops
/// the shadow before them, and <c>shadow status</c> says how many while collecting below them. Under the sample plan a pass
/// needs 1313 pairs even with no error on either side (PairsForPassTests feeds the judge 1312 and 1313 such pairs).
/// </summary>
public sealed class ShadowPairsNeededCliTests
{
    // The trial's perfect candidate capped at 600 pairs was still collecting at the cap, and start said nothing (it warned
    // only below min_requests, 200).
    [Fact]
    public async Task Start_MaxRequestsBelowThePairsAPassNeeds_WarnsInTextAndJson_AtTheFigureSaysNothing()
    {
        await using var app = await ShadowCliTests.ReadyAsync();

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "600");
        await app.OkAsync("shadow", "stop", "--env", "production");
        var json = await app.JsonAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "600");
        await app.OkAsync("shadow", "stop", "--env", "production");
        var (enoughCode, _, enoughErr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-requests", "1313");
        var enoughJson = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow");

        const string Warning = "--max-requests 600 is below the 1313 pairs a pass needs under this plan, even for a candidate as good as stable with no error on either side (error_rate max_increase 0.01 bounds it): this shadow can show harm but cannot pass; raise --max-requests to at least 1313";
        Assert.Equal(0, code);
        Assert.Contains($"note: {Warning}", stderr, StringComparison.Ordinal);
        Assert.Equal(Warning, Assert.Single(json.GetProperty("notes").EnumerateArray()).GetString());
        Assert.Equal(0, enoughCode);
        Assert.DoesNotContain("note:", enoughErr, StringComparison.Ordinal);
        Assert.Equal(1313, enoughJson.GetProperty("max_requests").GetInt64());
    }

    // While collecting on fewer pairs than a pass needs, status says how many it needs; past that figure it no longer does.
    [Fact]
    public async Task Status_CollectingBelowThePairsAPassNeeds_SaysHowMany()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        await ShadowPairs.WriteAsync(app, 600, 0);

        var (code, text, _) = await app.RunAsync("shadow", "status", "--env", "production");
        var decision = (await app.JsonAsync("shadow", "status", "--env", "production")).GetProperty("shadow").GetProperty("decision").GetString();

        Assert.Equal(0, code);
        Assert.Contains("judge: collecting", text, StringComparison.Ordinal);
        Assert.EndsWith("not yet conclusive after 600 pairs; a pass needs at least 1313 pairs under this plan (error_rate max_increase 0.01 bounds it)", decision, StringComparison.Ordinal);
        Assert.Contains("a pass needs at least 1313 pairs", text, StringComparison.Ordinal);
    }

    // The cost cap stops a shadow as surely as the request cap: at the stable release's cost per answered call over the
    // last 24 h ($0.002 here), $1 pays for about 500 pairs. Said only when it stops the shadow before the request cap does.
    [Fact]
    public async Task Start_CostCapPaysForFewerPairsThanAPassNeeds_Warns_EnoughOrRequestCapFirstSaysThatInstead()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await StableTrafficAsync(app, 300, 0.002);

        var (code, _, stderr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-cost-usd", "1");
        await app.OkAsync("shadow", "stop", "--env", "production");
        var (_, _, enoughErr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-cost-usd", "3");
        await app.OkAsync("shadow", "stop", "--env", "production");
        var (_, _, bothErr) = await app.RunAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5", "--max-cost-usd", "1", "--max-requests", "400");

        Assert.Equal(0, code);
        Assert.Contains("note: --max-cost-usd 1 pays for about 500 pairs at $0.002 a call (the stable release's cost per answered call over the last 24 h; the candidate's own cost may differ), below the 1313 pairs a pass needs", stderr, StringComparison.Ordinal);
        Assert.Contains("raise --max-cost-usd to about 2.76 (1313 pairs at $0.002 a call, plus 5% for the candidate's own cost, rounded up to 3 significant figures)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", enoughErr, StringComparison.Ordinal);
        Assert.Contains("note: --max-requests 400 is below the 1313 pairs", bothErr, StringComparison.Ordinal);
        Assert.DoesNotContain("--max-cost-usd 1 pays", bothErr, StringComparison.Ordinal);
    }

    /// <summary>Answered requests of v1, production's stable release, each costing <paramref name="costUsd"/>, written now.</summary>
    private static async Task StableTrafficAsync(EnvApp app, int n, double costUsd)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await store.Traces.WriteBatchAsync(
            [.. Enumerable.Range(0, n).Select(i => new TraceRecord
            {
                TraceId = Glidepath.Testing.TestTraceIds.Of("shadow-cost", i),
                App = "support-agent",
                Environment = "production",
                ReleaseId = app.Ids["v1"],
                Arm = Arm.Stable,
                StartedAt = now,
                Api = "openai",
                Status = 200,
                LatencyMs = 900 + (i % 100),
                OverheadMs = 0.2,
                CostUsd = costUsd,
            })],
            CancellationToken.None);
    }
}
