using System.Net;
using Glidepath.Errors;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// The same request through the pass-through path and the translating path (pass-through off), each against the same
/// scripted HTTP upstream: the status, the Glidepath headers, the error body's class and the trace are identical.
/// </summary>
public sealed class PassThroughEquivalenceTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var provider in (string[])["openai", "anthropic"])
        {
            foreach (var script in (string[])["answer", "tool_call", "rate_limited", "server_error", "timeout"])
            {
                foreach (var shape in (string[])["whole", "stream", "stream_usage"])
                {
                    data.Add(provider, script, shape);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SameRequest_BothPaths_SameStatusHeadersErrorClassAndTrace(string provider, string script, string shape)
    {
        var passed = await SendAsync(new GatewayUpstream(provider, PassThrough: true), script, shape);
        var translated = await SendAsync(new GatewayUpstream(provider, PassThrough: false), script, shape);

        Assert.Equal(translated.Status, passed.Status);
        Assert.Equal(translated.Headers, passed.Headers);
        Assert.Equal(translated.ErrorType, passed.ErrorType);
        Assert.Equal(translated.Trace, passed.Trace);
        Assert.Equal(translated.HasFirstToken, passed.HasFirstToken);
        Assert.True(passed.PassedThrough, "the pass-through fixture's upstream got the caller's own body");
        Assert.False(translated.PassedThrough, "the translating fixture's upstream got the SDK's body");
    }

    private static async Task<Outcome> SendAsync(GatewayUpstream mode, string script, string shape)
    {
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y.Replace("capture: { content: sampled", "capture: { content: all", StringComparison.Ordinal), upstream: mode);
        await f.StartAsync();
        var model = f.Models.For("stable-model");
        switch (script)
        {
            case "tool_call":
                model.Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
                    [new TextContent("Checking."), new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "A-1001" })]))
                { FinishReason = ChatFinishReason.ToolCalls, Usage = new UsageDetails { InputTokenCount = 30, OutputTokenCount = 9 } };
                break;
            case "rate_limited":
                model.Failure = new ProviderException("sim", 429, "slow down", ProviderFailure.RateLimited);
                break;
            case "server_error":
                model.Failure = new ProviderException("sim", 500, "boom for bob@example.com", ProviderFailure.ServerError);
                break;
            case "timeout":
                model.Failure = new ProviderException("sim", null, "took too long", ProviderFailure.Timeout);
                break;
        }

        var anthropic = mode.Provider == "anthropic";
        var path = anthropic ? "/v1/messages" : "/v1/chat/completions";
        var extra = (shape, anthropic) switch
        {
            ("whole", _) => "",
            ("stream_usage", false) => ""","stream":true,"stream_options":{"include_usage":true}""",
            _ => ""","stream":true""",
        };

        // A field the gateway's parser does not read: only the pass-through path forwards it.
        extra += anthropic ? ""","metadata":{"user_id":"u-1"}""" : ""","presence_penalty":0.25""";
        var body = anthropic ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra);
        using var response = await f.PostAsync(path, body, r => r.Headers.Add("Glidepath-Subject", "alice"));
        var text = await response.Content.ReadAsStringAsync();
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();
        var trace = await WireAssert.TraceAsync(f, traceId);
        string? errorType = null;
        if (!response.IsSuccessStatusCode)
        {
            WireAssert.ErrorMessage(path, text);
            using var doc = System.Text.Json.JsonDocument.Parse(text);
            errorType = doc.RootElement.GetProperty("error").GetProperty("type").GetString();
        }
        else if (shape != "whole")
        {
            Assert.Equal(shape == "stream_usage" || anthropic, text.Contains("_tokens\":", StringComparison.Ordinal));
        }

        var headers = string.Join(",", response.Headers.Select(h => h.Key).Where(k => k.StartsWith("Glidepath-", StringComparison.Ordinal) || k == "Server-Timing" || k == "Cache-Control").Order(StringComparer.Ordinal))
            + ";" + response.Content.Headers.ContentType?.MediaType + ";" + (response.Headers.TryGetValues("Glidepath-Release", out var release) ? release.Single() : "");
        var passedThrough = f.Upstream!.LastBody!.Contains(anthropic ? "\"user_id\":\"u-1\"" : "presence_penalty", StringComparison.Ordinal);
        return new Outcome((int)response.StatusCode, headers, errorType, Comparable(trace), trace.TimeToFirstTokenMs is not null, passedThrough);
    }

    /// <summary>
    /// The trace without what differs by nature between two requests: ids, times, the hashed subject (each world's store
    /// has its own key) and the online scores (sampled by the random trace id; one scorer reads the latency).
    /// </summary>
    private static TraceRecord Comparable(TraceRecord t) => t with
    {
        TraceId = "",
        ReleaseId = "",
        SubjectHash = null,
        StartedAt = default,
        LatencyMs = 0,
        TimeToFirstTokenMs = null,
        OverheadMs = 0,
        OnlineScore = null,
        OnlinePassed = null,
        OnlineScoresJson = null,
    };

    private sealed record Outcome(int Status, string Headers, string? ErrorType, TraceRecord Trace, bool HasFirstToken, bool PassedThrough);
}
