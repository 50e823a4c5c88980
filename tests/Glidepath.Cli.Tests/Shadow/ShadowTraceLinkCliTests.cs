using Glidepath.Shadow;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Shadow;

/// <summary><c>traces show</c> names the other side of a shadow pair, both ways (outside trial, pairsview #1).</summary>
public sealed class ShadowTraceLinkCliTests
{
    [Fact]
    public async Task TracesShow_ShadowTrace_NamesItsStableTraceAndShadow_TextAndJson()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        var (shadowId, stable, candidate, _) = await MirroredAsync(app);

        var (code, text, stderr) = await app.RunAsync("traces", "show", candidate);
        var json = await app.JsonAsync("traces", "show", candidate);

        Assert.True(code == 0, stderr);
        Assert.StartsWith($"{stable} (the answer the caller got)", Row(text, "stable trace"), StringComparison.Ordinal);
        Assert.StartsWith($"{shadowId} (candidate v2+", Row(text, "shadow"), StringComparison.Ordinal);
        Assert.Contains($"glidepath shadow status --env production --shadow {shadowId}", text, StringComparison.Ordinal);
        var pair = json.GetProperty("shadow_pair");
        Assert.Equal((shadowId, stable, candidate), (pair.GetProperty("shadow_id").GetString(), pair.GetProperty("stable_trace_id").GetString(), pair.GetProperty("shadow_trace_id").GetString()));
        Assert.Equal(("v1", "v2"), (pair.GetProperty("stable").GetProperty("name").GetString(), pair.GetProperty("candidate").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task TracesShow_MirroredStableTrace_NamesItsShadowTrace_AndOneNotMirroredNamesNone()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        var (shadowId, stable, candidate, unmirrored) = await MirroredAsync(app);

        var (_, text, _) = await app.RunAsync("traces", "show", stable);
        var json = await app.JsonAsync("traces", "show", stable);
        var (_, plain, _) = await app.RunAsync("traces", "show", unmirrored);
        var plainJson = await app.JsonAsync("traces", "show", unmirrored);

        Assert.StartsWith($"{candidate} (the candidate's answer on the same input)", Row(text, "shadow trace"), StringComparison.Ordinal);
        Assert.StartsWith($"{shadowId} (candidate v2+", Row(text, "shadow"), StringComparison.Ordinal);
        Assert.Equal(candidate, json.GetProperty("shadow_pair").GetProperty("shadow_trace_id").GetString());
        Assert.DoesNotContain(plain.Split('\n'), l => l.StartsWith("shadow", StringComparison.Ordinal));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plainJson.GetProperty("shadow_pair").ValueKind);
    }

    [Fact]
    public async Task TracesShow_ShadowTraceWithNoPairStored_SaysSo()
    {
        await using var app = await ShadowCliTests.ReadyAsync();
        await app.OkAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        var orphan = TestTraceIds.Of("orphan", 0);
        await using (var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            await store.Traces.WriteBatchAsync([Trace(app, orphan, "v2", "shadow")], CancellationToken.None);
        }

        var (code, text, _) = await app.RunAsync("traces", "show", orphan);

        Assert.Equal(0, code);
        Assert.Equal("- (no pair stored for this call)", Row(text, "shadow pair"));
    }

    /// <summary>
    /// A shadow of v2, a stable trace mirrored into a candidate trace with their pair stored, as a gateway's mirror writes
    /// them, and a stable trace that was not mirrored.
    /// </summary>
    private static async Task<(string ShadowId, string Stable, string Candidate, string Unmirrored)> MirroredAsync(Environments.EnvApp app)
    {
        var started = await app.JsonAsync("shadow", "start", "v2", "--env", "production", "--rate", "0.5");
        var shadowId = started.GetProperty("shadow").GetProperty("shadow_id").GetString()!;
        var (stable, candidate, unmirrored) = (TestTraceIds.Of("pair", 0), TestTraceIds.Of("pair", 1), TestTraceIds.Of("pair", 2));
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        await store.Traces.WriteBatchAsync([Trace(app, stable, "v1", "stable"), Trace(app, candidate, "v2", "shadow"), Trace(app, unmirrored, "v1", "stable")], CancellationToken.None);
        await store.Shadows.WriteAsync(
        [
            new ShadowPairRecord
            {
                ShadowId = shadowId,
                App = "support-agent",
                Environment = "production",
                StableTraceId = stable,
                CandidateTraceId = candidate,
                StableReleaseId = app.Ids["v1"],
                CandidateReleaseId = app.Ids["v2"],
                CreatedAt = DateTimeOffset.UtcNow,
            },
        ], CancellationToken.None);
        return (shadowId, stable, candidate, unmirrored);
    }

    /// <summary>The value of the row of <c>traces show</c>'s table named <paramref name="key"/>.</summary>
    private static string Row(string text, string key) =>
        text.Split('\n').Single(l => l.StartsWith(key + "  ", StringComparison.Ordinal))[key.Length..].Trim();

    private static TraceRecord Trace(Environments.EnvApp app, string id, string release, string arm) => new()
    {
        TraceId = id,
        App = "support-agent",
        Environment = "production",
        ReleaseId = app.Ids[release],
        Arm = arm,
        StartedAt = DateTimeOffset.UtcNow,
        Api = "openai",
        Model = "sim-support-1",
        Status = 200,
        LatencyMs = 400,
        OverheadMs = 0.2,
        InputTokens = 120,
        OutputTokens = 40,
        CostUsd = 0.0009,
        FinishReason = "stop",
    };
}
