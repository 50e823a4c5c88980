using System.Text.Json.Nodes;
using Glidepath.Environments;
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

    private static string System(JsonNode body, bool anthropic) =>
        (anthropic ? body["system"] : body["messages"]![0]!["content"])!.ToJsonString();

    private static async Task StartShadowAsync(GatewayFixture f)
    {
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-pass", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);
    }
}
