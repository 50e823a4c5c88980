using System.Text.Json.Nodes;
using System.Net;
using Glidepath.Environments;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Shadow;

/// <summary>
/// A caller served on the pass-through path is mirrored the same way: the shadow candidate gets the caller's own body
/// patched with its release and sent through its forwarder (a field the gateway does not read reaches it too), and the
/// pair and the candidate's trace are what the translating path records.
/// </summary>
public sealed class ShadowPassThroughTests
{
    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Mirror_PassThroughCaller_CandidateGetsTheCallersBodyWithItsReleaseThroughItsForwarder(string provider)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: new GatewayUpstream(provider, PassThrough: true));
        await f.StartAsync();
        f.Models.For("canary-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "THE CANDIDATE'S ANSWER"))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 9 },
        };
        await StartShadowAsync(f);
        var anthropic = provider == "anthropic";
        var extra = anthropic ? ""","metadata":{"user_id":"u-1"}""" : ""","presence_penalty":0.25""";

        using var response = await f.PostAsync(anthropic ? "/v1/messages" : "/v1/chat/completions",
            anthropic ? GatewayFixture.Message("Where is order A1?", extra: extra) : GatewayFixture.Chat("Where is order A1?", extra: extra));
        var text = await response.Content.ReadAsStringAsync();
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();
        var pair = await StoreWait.ShadowPairAsync(f.Store, "sh-pass", traceId);

        Assert.DoesNotContain("CANDIDATE", text, StringComparison.Ordinal);
        var sent = JsonNode.Parse(Assert.Single(f.Upstream!.Bodies, b => b.Contains("\"canary-model\"", StringComparison.Ordinal)))!;
        var stable = JsonNode.Parse(Assert.Single(f.Upstream.Bodies, b => b.Contains("\"stable-model\"", StringComparison.Ordinal)))!;
        Assert.Contains(anthropic ? "\"user_id\":\"u-1\"" : "presence_penalty", sent.ToJsonString(), StringComparison.Ordinal); // only the forwarder sends it
        Assert.Equal(System(stable, anthropic), System(sent, anthropic)); // both releases have the sample's prompt, applied first
        Assert.Contains("Where is order A1?", sent.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal((f.V1.Id, f.V2.Id, false), (pair.StableReleaseId, pair.CandidateReleaseId, pair.CandidateError));
        var candidate = await WireAssert.TraceAsync(f, pair.CandidateTraceId);
        Assert.Equal((Arm.Shadow, f.V2.Id, 200, "canary-model", 30L, 9L, "stop"),
            (candidate.Arm, candidate.ReleaseId, candidate.Status, candidate.Model, candidate.InputTokens, candidate.OutputTokens, candidate.FinishReason));
    }

    // A streamed caller on the pass-through path: the candidate is streamed too (through its provider's client, read to
    // the end), so the pair's latencies are both a stream's; it was called whole, and an identical candidate looked
    // ×1.1 slower on streamed callers (trial "shadowscale").
    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Mirror_StreamedPassThroughCaller_CandidateStreamedToo(string provider)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: new GatewayUpstream(provider, PassThrough: true));
        await f.StartAsync();
        f.Models.For("canary-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "THE CANDIDATE'S ANSWER"))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 9 },
        };
        await StartShadowAsync(f);
        var anthropic = provider == "anthropic";

        using var response = await f.PostAsync(anthropic ? "/v1/messages" : "/v1/chat/completions", anthropic
            ? GatewayFixture.Message("Where is order A1?", extra: ""","stream":true""")
            : GatewayFixture.Chat("Where is order A1?", extra: ""","stream":true,"stream_options":{"include_usage":true}"""));
        var text = await response.Content.ReadAsStringAsync();
        var pair = await StoreWait.ShadowPairAsync(f.Store, "sh-pass", response.Headers.GetValues("Glidepath-Trace").Single());

        Assert.DoesNotContain("CANDIDATE", text, StringComparison.Ordinal);
        var sent = JsonNode.Parse(Assert.Single(f.Upstream!.Bodies, b => b.Contains("\"canary-model\"", StringComparison.Ordinal)))!;
        Assert.True(sent["stream"]!.GetValue<bool>());
        var candidate = await WireAssert.TraceAsync(f, pair.CandidateTraceId);
        Assert.Equal((200, 30L, 9L, "stop"), (candidate.Status, candidate.InputTokens, candidate.OutputTokens, candidate.FinishReason));
        Assert.NotNull(candidate.TimeToFirstTokenMs);
        Assert.Equal((false, true), (pair.CandidateError, pair.CandidateLatencyMs is > 0));
    }

    // A candidate provider that reports no usage (an OpenAI-compatible server that ignores it) still charged for the
    // call: its trace and its cost in the pair (the shadow judge's cost_per_call, the shadow budget) were 0 tokens and
    // $0, where the served call's trace gets the estimate (trial "wire"). Both paths, both providers.
    [Theory]
    [InlineData("openai", true)]
    [InlineData("anthropic", true)]
    [InlineData("openai", false)]
    public async Task Mirror_CandidateAnswersWithoutUsage_TracedAndPairedAtTheEstimateNotFree(string provider, bool passThrough)
    {
        var text = new string('x', 400);
        var anthropic = provider == "anthropic";
        await using var upstream = await JunkUpstream.StartAsync(200, "application/json", anthropic
            ? $$"""{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"{{text}}"}],"stop_reason":"end_turn"}"""
            : $$"""{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop"}]}""");
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => upstream.ManifestFor(provider)(y)
            .Replace("sim-support-1: { input", "canary-model: { input", StringComparison.Ordinal));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        await StartShadowAsync(f);

        using var response = await f.PostAsync(anthropic ? "/v1/messages" : "/v1/chat/completions",
            anthropic ? GatewayFixture.Message("Where is order A1?") : GatewayFixture.Chat("Where is order A1?"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pair = await StoreWait.ShadowPairAsync(f.Store, "sh-pass", response.Headers.GetValues("Glidepath-Trace").Single());

        var candidate = await WireAssert.TraceAsync(f, pair.CandidateTraceId);
        Assert.Equal((200, 100L), (candidate.Status, candidate.OutputTokens)); // 400 characters at four a token
        Assert.True(candidate.InputTokens > 50, $"input tokens {candidate.InputTokens}: the release's system prompt and the question, estimated");
        var expected = (candidate.InputTokens * 3.0 + candidate.OutputTokens * 15.0) / 1_000_000;
        Assert.Equal(expected, candidate.CostUsd, 9);
        Assert.Equal(expected, pair.CandidateCostUsd, 9);
    }

    private static string System(JsonNode body, bool anthropic) =>
        (anthropic ? body["system"] : body["messages"]![0]!["content"])!.ToJsonString();

    private static async Task StartShadowAsync(GatewayFixture f)
    {
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-pass", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);
    }
}
