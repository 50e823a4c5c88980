using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;
using OpenAI;
using OpenAI.Chat;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// How a provider's stream ends, on every route (passed through, translated to the same format, translated to the
/// other): its last event (OpenAI's <c>[DONE]</c>, Anthropic's <c>message_stop</c>) reaches the caller only after a
/// complete answer; a complete answer whose provider then holds the connection open without that event is answered (200)
/// at once, ending as it should; and a success whose provider sent no usage is traced at an estimate, never as free.
/// </summary>
public sealed class StreamEndTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    private static readonly string[] OpenAiText =
    [
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":null}]}""",
    ];

    private const string OpenAiStop = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""";
    private const string OpenAiNoReason = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":null}]}""";
    private const string OpenAiUsage = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":111,"completion_tokens":22,"total_tokens":133}}""";

    private static readonly string[] AnthropicAnswer =
    [
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":200,"output_tokens":1}}}""",
        "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}""",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""",
        "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":30}}""",
        "event: message_stop\n" + """data: {"type":"message_stop"}""",
    ];

    /// <summary>Each provider's three routes: its own format passed through, its own format translated, the other format.</summary>
    public static TheoryData<string, string, bool> Routes()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var provider in (string[])["openai", "anthropic"])
        {
            var own = provider == "openai" ? OpenAiPath : AnthropicPath;
            data.Add(provider, own, true);
            data.Add(provider, own, false);
            data.Add(provider, provider == "openai" ? AnthropicPath : OpenAiPath, true);
        }

        return data;
    }

    // After the finish reason and the usage chunk an OpenAI provider has only [DONE] left to send; one that holds the
    // connection instead was traced as a 504 timeout of a complete answer, and its caller, who already had
    // finish_reason "stop", got a timeout error event after it (trial "wire", defect 2). Anthropic's message_stop is its
    // stream's last event likewise. The timeout is short so that, without the fix, the test fails quickly; with it, nothing
    // waits for it.
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Stream_CompleteAnswerThenProviderHoldsTheConnection_Answered200WithANormalEnd(string provider, string path, bool passThrough)
    {
        string[] events = provider == "openai" ? [.. OpenAiText, OpenAiStop, OpenAiUsage] : AnthropicAnswer;
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Sse(events));
        upstream.HoldOpen = true;
        await using var f = await CreateAsync(upstream, provider, ", timeout: 2s");
        using var models = await StartAsync(f, passThrough);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(" there", text, StringComparison.Ordinal);
        if (path == AnthropicPath)
        {
            Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("event: error", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"error\"", text, StringComparison.Ordinal);
        }

        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, "stop"), (trace.Status, trace.Error, trace.FinishReason));
        Assert.Equal(provider == "openai" ? (111L, 22L) : (200L, 30L), (trace.InputTokens, trace.OutputTokens));
    }

    // vLLM and other OpenAI-compatible servers put the usage in the chunk with the finish reason (no separate usage
    // chunk): that chunk completes the answer, so a provider that then holds the connection must not make the caller wait
    // for the timeout and get a timeout error after a complete answer (the chunk is the stream's last but [DONE]).
    [Theory]
    [InlineData(OpenAiPath, true)]
    [InlineData(OpenAiPath, false)]
    [InlineData(AnthropicPath, true)]
    public async Task Stream_UsageInTheFinishChunkThenProviderHoldsTheConnection_Answered200WithANormalEnd(string path, bool passThrough)
    {
        const string stopWithUsage = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":111,"completion_tokens":22,"total_tokens":133}}""";
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Sse([.. OpenAiText, stopWithUsage]));
        upstream.HoldOpen = true;
        await using var f = await CreateAsync(upstream, "openai", ", timeout: 2s");
        using var models = await StartAsync(f, passThrough);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(" there", text, StringComparison.Ordinal);
        Assert.DoesNotContain("error", text, StringComparison.Ordinal);
        Assert.EndsWith(path == AnthropicPath ? "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n" : "data: [DONE]\n\n", text, StringComparison.Ordinal);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, "stop", 111L, 22L), (trace.Status, trace.Error, trace.FinishReason, trace.InputTokens, trace.OutputTokens));
    }

    // An OpenAI SDK stops reading at [DONE]: passed through before the gateway's error event, the provider's [DONE] made
    // a cut answer (no finish reason) end normally for the caller (trial "wire", defect 1). The official .NET SDK reads an
    // error event as an update with the error in its raw data (it throws on neither that nor a stream without [DONE]), so
    // the caller sees the error only if [DONE] is held back.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OpenAiSdkStream_ProviderSendsDoneWithoutFinishReason_SdkGetsTheErrorNotANormalEnd(bool passThrough)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Sse([.. OpenAiText, OpenAiNoReason, "data: [DONE]"]));
        await using var f = await CreateAsync(upstream, "openai");
        using var models = await StartAsync(f, passThrough);
        var client = new ChatClient("support-agent", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(f.Url + "/v1"), RetryPolicy = new ClientRetryPolicy(0) });

        var text = "";
        string? error = null;
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            text += string.Concat(update.ContentUpdate.Select(c => c.Text));
            finish = update.FinishReason ?? finish;
            using var raw = System.Text.Json.JsonDocument.Parse(ModelReaderWriter.Write(update, ModelReaderWriterOptions.Json).ToString());
            if (raw.RootElement.TryGetProperty("error", out var e))
            {
                error = e.GetProperty("message").GetString();
            }
        }

        Assert.Equal("Hello there", text);
        Assert.Null(finish);
        Assert.NotNull(error);
        Assert.Contains("no finish reason", error, StringComparison.Ordinal);
    }

    // An OpenAI-compatible server that ignores stream_options.include_usage (several servers and proxies do), or a whole
    // answer without usage: the call was served and billed, so the trace counts it at the estimate a cut stream gets (the
    // prompt and the answer's characters, about four a token) instead of 0 tokens and $0 (trial "wire", defect 3); the
    // same on every route.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Answer_ProviderSendsNoUsage_TracedAtTheEstimate_SameOnEveryRoute(bool stream)
    {
        const string whole = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there"},"finish_reason":"stop"}]}""";
        var traces = new List<Glidepath.Traces.TraceRecord>();
        foreach (var (path, passThrough) in ((string, bool)[])[(OpenAiPath, true), (OpenAiPath, false), (AnthropicPath, true)])
        {
            await using var upstream = stream
                ? await JunkUpstream.StartAsync(200, "text/event-stream", Sse([.. OpenAiText, OpenAiStop, "data: [DONE]"]))
                : await JunkUpstream.StartAsync(200, "application/json", whole);
            await using var f = await CreateAsync(upstream, "openai");
            using var models = await StartAsync(f, passThrough);

            using var response = await f.PostAsync(path, stream ? Streamed(path) : path == AnthropicPath ? GatewayFixture.Message() : GatewayFixture.Chat());
            Assert.Contains("there", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            traces.Add(await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single()));
        }

        var first = traces[0];
        Assert.Equal((200, "stop"), (first.Status, first.FinishReason));
        Assert.True(first.InputTokens > 100, $"input tokens {first.InputTokens}"); // the release's system prompt and the question
        Assert.Equal(3, first.OutputTokens); // "Hello there": 11 characters
        Assert.True(first.CostUsd > 0, $"cost {first.CostUsd}");
        Assert.All(traces, t => Assert.Equal((first.Status, first.InputTokens, first.OutputTokens, first.CostUsd), (t.Status, t.InputTokens, t.OutputTokens, t.CostUsd)));
    }

    private static string Sse(string[] events) => string.Concat(events.Select(e => e + "\n\n"));

    private static string Streamed(string path) =>
        path == AnthropicPath ? GatewayFixture.Message(extra: ""","stream":true""") : GatewayFixture.Chat(extra: ""","stream":true""");

    /// <summary>A world whose release is on <paramref name="provider"/> at <paramref name="upstream"/>, priced, with more provider settings.</summary>
    private static Task<GatewayFixture> CreateAsync(JunkUpstream upstream, string provider, string settings = "") =>
        GatewayFixture.CreateAsync(editManifest: y => upstream.ManifestFor(provider)(y)
            .Replace("max_retries: 0", "max_retries: 0" + settings, StringComparison.Ordinal)
            .Replace("sim-support-1: { input", "stable-model: { input", StringComparison.Ordinal));

    /// <summary>Starts the gateway over the real providers pipeline; the caller disposes it (its connections to the upstream) first.</summary>
    private static async Task<ModelClientFactory> StartAsync(GatewayFixture f, bool passThrough)
    {
        var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        return models;
    }
}
