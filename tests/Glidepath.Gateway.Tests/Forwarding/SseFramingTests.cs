using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// Server-sent events framed in the ways the WHATWG rules allow besides LF: lines ended by a bare CR or by CRLF, and an
/// event whose JSON is split over several <c>data:</c> lines (joined with LF). The pass-through path reads them as the
/// translating path (the SDKs) does: a normal answer, traced with its tokens; the caller gets the provider's bytes.
/// </summary>
public sealed class SseFramingTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    private static readonly string[] OpenAiEvents =
    [
        """data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Within "},"finish_reason":null}]}""",
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\ndata: \"choices\":[{\"index\":0,\"delta\":{\"content\":\"30 days.\"},\"finish_reason\":\"stop\"}]}",
        """data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""",
        "data: [DONE]",
    ];

    private static readonly string[] AnthropicEvents =
    [
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":9,"output_tokens":1}}}""",
        "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Within "}}""",
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\ndata: \"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"30 days.\"}}",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""",
        "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}""",
        "event: message_stop\n" + """data: {"type":"message_stop"}""",
    ];

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var provider in (string[])["openai", "anthropic"])
        {
            foreach (var lineEnd in (string[])["\r", "\r\n", "\n"])
            {
                var own = provider == "openai" ? OpenAiPath : AnthropicPath;
                data.Add(provider, lineEnd, own, true);   // passed through
                data.Add(provider, lineEnd, own, false);  // translated, same format
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Stream_LineEndsAndMultiLineData_AnsweredAndTracedAsOnTheTranslatingPath(string provider, string lineEnd, string path, bool passThrough)
    {
        var events = provider == "openai" ? OpenAiEvents : AnthropicEvents;
        var stream = string.Concat(events.Select(e => e.Replace("\n", lineEnd, StringComparison.Ordinal) + lineEnd + lineEnd));
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", stream);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.ManifestFor(provider));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var body = path == AnthropicPath ? GatewayFixture.Message(extra: ""","stream":true""") : GatewayFixture.Chat(extra: ""","stream":true""");

        using var response = await f.PostAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("30 days.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
        if (passThrough)
        {
            Assert.Contains(events[1].Replace("\n", lineEnd, StringComparison.Ordinal), text, StringComparison.Ordinal); // the provider's bytes
        }

        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, 9L, 2L), (trace.Status, trace.Error, trace.InputTokens, trace.OutputTokens));
        Assert.Equal("stop", trace.FinishReason);
    }
}
