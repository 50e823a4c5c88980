using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// One provider answer that used the prompt cache, whole and streamed, through every path (passed through, translated to
/// the same format, translated to the other): the trace counts every input token, the cache's included, and prices the
/// cache's tokens at the manifest's cache prices, the same on every path; a translating caller gets the counts in its
/// own format (OpenAI: prompt_tokens with cached_tokens beside; Anthropic: input_tokens without the cache's, beside them).
/// </summary>
public sealed class PromptCacheUsageTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    // Anthropic: 20 input tokens outside the cache, 1,000 written to it (400 to the 5-minute cache, 600 to the 1-hour
    // cache, priced higher), 5,000 read from it, 15 out.
    private const string AnthropicWhole = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hello"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":20,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},"output_tokens":15}}""";

    private static readonly string[] AnthropicStream =
    [
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"cache_creation":{"ephemeral_5m_input_tokens":400,"ephemeral_1h_input_tokens":600},"output_tokens":1}}}""",
        "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""",
        "MESSAGE_DELTA",
        "event: message_stop\n" + """data: {"type":"message_stop"}""",
    ];

    // The message_delta of API versions that repeat the input counts, and of those that send the output count alone.
    private const string DeltaCumulative = "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":20,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"output_tokens":15}}""";
    private const string DeltaOutputOnly = "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""";

    // OpenAI: 1,000 prompt tokens of which 900 read from the cache, 10 out.
    private const string OpenAiUsage = "\"usage\":" + """{"prompt_tokens":1000,"completion_tokens":10,"total_tokens":1010,"prompt_tokens_details":{"cached_tokens":900,"audio_tokens":0}}""";
    private const string OpenAiWhole = """{"id":"c1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],""" + OpenAiUsage + "}";

    private static readonly string[] OpenAiStream =
    [
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],""" + OpenAiUsage + "}",
        "data: [DONE]",
    ];

    public static TheoryData<string, string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, string, bool>();
        foreach (var (provider, shapes) in new[] { ("anthropic", new[] { "whole", "stream_cumulative", "stream_output_only" }), ("openai", new[] { "whole", "stream" }) })
        {
            var own = provider == "openai" ? OpenAiPath : AnthropicPath;
            var other = provider == "openai" ? AnthropicPath : OpenAiPath;
            foreach (var shape in shapes)
            {
                data.Add(provider, shape, own, true);   // passed through
                data.Add(provider, shape, own, false);  // translated, same format
                data.Add(provider, shape, other, true); // translated to the other format
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CachedPrompt_EveryPath_TraceCountsAllInputAndPricesCacheTokensAtCachePrices(string provider, string shape, string path, bool passThrough)
    {
        var anthropic = provider == "anthropic";
        var stream = shape != "whole";
        var events = anthropic
            ? AnthropicStream.Select(e => e == "MESSAGE_DELTA" ? (shape == "stream_cumulative" ? DeltaCumulative : DeltaOutputOnly) : e)
            : OpenAiStream;
        var answer = stream ? string.Concat(events.Select(e => e + "\n\n")) : anthropic ? AnthropicWhole : OpenAiWhole;
        await using var upstream = await JunkUpstream.StartAsync(200, stream ? "text/event-stream" : "application/json", answer);
        const string Prices = "sim-support-1: { input: 3.0, output: 15.0 }";
        await using var f = await GatewayFixture.CreateAsync(editManifest: y =>
        {
            Assert.Contains(Prices, y, StringComparison.Ordinal);
            return upstream.ManifestFor(provider)(y.Replace(Prices, anthropic
                ? "stable-model: { input: 3.0, output: 15.0, cache_read: 0.3, cache_write: 3.75, cache_write_1h: 6.0 }"
                : "stable-model: { input: 1.0, output: 10.0, cache_read: 0.5 }", StringComparison.Ordinal));
        });
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-upstream-key" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var extra = stream ? (path == OpenAiPath ? ""","stream":true,"stream_options":{"include_usage":true}""" : ""","stream":true""") : "";

        using var response = await f.PostAsync(path, path == AnthropicPath ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, (string?)null), (trace.Status, trace.Error));
        if (anthropic)
        {
            // 20 × 3 + 5,000 × 0.3 + 400 × 3.75 + 600 × 6 + 15 × 15, per million.
            Assert.Equal((6020L, 15L), (trace.InputTokens, trace.OutputTokens));
            Assert.Equal(0.006885, trace.CostUsd, 9);
        }
        else
        {
            // 100 × 1 + 900 × 0.5 + 10 × 10, per million.
            Assert.Equal((1000L, 10L), (trace.InputTokens, trace.OutputTokens));
            Assert.Equal(0.00065, trace.CostUsd, 9);
        }

        if (passThrough && path == (anthropic ? AnthropicPath : OpenAiPath))
        {
            return; // the provider's own bytes
        }

        var usage = LastUsage(text, stream);
        if (path == OpenAiPath)
        {
            Assert.Equal(anthropic ? 6020 : 1000, usage.GetProperty("prompt_tokens").GetInt64());
            Assert.Equal(anthropic ? 5000 : 900, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt64());
        }
        else
        {
            Assert.Equal(anthropic ? 20 : 100, usage.GetProperty("input_tokens").GetInt64());
            Assert.Equal(anthropic ? 5000 : 900, usage.GetProperty("cache_read_input_tokens").GetInt64());
            Assert.Equal(anthropic ? 1000 : 0, usage.GetProperty("cache_creation_input_tokens").GetInt64());
        }
    }

    /// <summary>The <c>usage</c> object of a whole answer, or of the last event of a stream that has one.</summary>
    private static JsonElement LastUsage(string text, bool stream)
    {
        if (!stream)
        {
            return JsonDocument.Parse(text).RootElement.GetProperty("usage").Clone();
        }

        JsonElement? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonDocument.Parse(line[6..]).RootElement.TryGetProperty("usage", out var usage))
            {
                last = usage.Clone();
            }
        }

        return last ?? throw new Xunit.Sdk.XunitException("no event with usage in: " + text);
    }
}
