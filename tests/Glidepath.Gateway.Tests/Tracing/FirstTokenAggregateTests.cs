using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// A stream's time to first token reaches the per-minute aggregates the judge reads (first_token_latency), on the
/// pass-through and the translating path, from an OpenAI or an Anthropic caller; a whole answer is a request but no
/// observation of it. The upstream holds its first chunk after the 200 headers, as a model that thinks first does:
/// the time to first token is at least that hold and below the total (trial "steps", defect 1: only the total was judged).
/// </summary>
public sealed class FirstTokenAggregateTests
{
    [Theory]
    [InlineData("/v1/chat/completions", true)]
    [InlineData("/v1/chat/completions", false)]
    [InlineData("/v1/messages", false)]
    public async Task Post_StreamFromASlowFirstChunkUpstream_AggregatesSumItsFirstTokenAndNotTheWholeAnswers(string path, bool passThrough)
    {
        await using var upstream = await SlowFirstChunkUpstream.StartAsync();
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.Manifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        string Body(string extra) => path == "/v1/messages" ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra);

        using var streamed = await f.PostAsync(path, Body(""","stream":true"""));
        var streamedText = await streamed.Content.ReadAsStringAsync();
        using var whole = await f.PostAsync(path, Body(""));
        _ = await whole.Content.ReadAsStringAsync();

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (streamed.StatusCode, whole.StatusCode));
        Assert.Contains("Within", streamedText, StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, streamed.Headers.GetValues("Glidepath-Trace").Single());
        var wholeTrace = await WireAssert.TraceAsync(f, whole.Headers.GetValues("Glidepath-Trace").Single());
        var firstToken = Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.True(firstToken >= Assert.Single(upstream.HeldMs), $"first token at {firstToken} ms, but the upstream held it {upstream.HeldMs.Single()} ms after the request reached it");
        Assert.True(firstToken < trace.LatencyMs, $"first token {firstToken} ms, total {trace.LatencyMs} ms");
        Assert.False(wholeTrace.Stream);

        var arm = Assert.Single(await f.Store.Traces.ArmStatsAsync(f.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), null, default));
        Assert.Equal((2L, 2L, 1L), (arm.Count, arm.LatencyCount, arm.FirstTokenCount));
        Assert.Equal(Math.Log(firstToken), arm.LogFirstTokenSum, 9);
        Assert.Equal(Math.Log(firstToken) * Math.Log(firstToken), arm.LogFirstTokenSquares, 9);
        Assert.Equal(Math.Log(trace.LatencyMs) + Math.Log(wholeTrace.LatencyMs), arm.LogLatencySum, 9);
    }
}
