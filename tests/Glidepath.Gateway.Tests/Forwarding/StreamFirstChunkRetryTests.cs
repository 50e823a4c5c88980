using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// A stream is retried until its first chunk on every route: a provider that sends 200 and its headers at once but its
/// first chunk only after the timeout is sent the request again, within max_retries, and the caller sees none of it.
/// The pass-through path retried only until the headers: the same slow model gave an OpenAI caller a 504 after one
/// attempt (counted in error_rate) and an Anthropic caller, translated, a success after retries (retry_rate) (trial
/// "steps", defect 3). A stalled attempt stalls until the gateway gives up, so the outcome never depends on how long the
/// timeout is; 2 s leaves a loaded machine time to deliver each request.
/// </summary>
public sealed class StreamFirstChunkRetryTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    private static readonly string OpenAiStream = string.Concat(((string[])
    [
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Within 30 days."},"finish_reason":null}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""",
        "data: [DONE]",
    ]).Select(e => e + "\n\n"));

    private static readonly string AnthropicStream = string.Concat(((string[])
    [
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}""",
        "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Within 30 days."}}""",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""",
        "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}""",
        "event: message_stop\n" + """data: {"type":"message_stop"}""",
    ]).Select(e => e + "\n\n"));

    [Theory]
    [InlineData("openai", OpenAiPath)]
    [InlineData("anthropic", AnthropicPath)]
    public async Task PassThroughStream_FirstChunkStalledOnTwoAttempts_RetriedAnswered200WithThreeAttempts(string provider, string path)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Stream(provider));
        upstream.StallFirstChunk = 2;
        await using var f = await FixtureAsync(upstream, provider, "2s");
        using var models = await StartAsync(f, passThrough: true);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Stream(provider), text); // the answering attempt's stream, nothing of the stalled ones before it
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, 3), (trace.Status, trace.Error, trace.Attempts));
        Assert.Equal(3, upstream.Requests);
    }

    // Stop 54: a server or proxy that sends an SSE comment at once (": keep-alive") before its model has answered. The
    // comment counted as the first chunk, so a stall after it was not retried: a 504 after one attempt on this path.
    [Theory]
    [InlineData("openai", OpenAiPath, ": keep-alive\n\n")]
    [InlineData("anthropic", AnthropicPath, ": keep-alive\n\n")]
    [InlineData("openai", OpenAiPath, "\r\n:\r\n\r\n")]
    [InlineData("anthropic", AnthropicPath, "\n\n: ping\n\n")]
    public async Task PassThroughStream_CommentThenStallOnTwoAttempts_RetriedAndTheAnsweringAttemptsBytes(string provider, string path, string preamble)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Stream(provider));
        upstream.StallFirstChunk = 2;
        upstream.Preamble = preamble;
        await using var f = await FixtureAsync(upstream, provider, "2s");
        using var models = await StartAsync(f, passThrough: true);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(preamble + Stream(provider), text); // the answering attempt's bytes as sent, its comment included
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, 3), (trace.Status, trace.Error, trace.Attempts));
        Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.Equal(3, upstream.Requests);
    }

    [Theory]
    [InlineData("openai", OpenAiPath)]
    [InlineData("anthropic", AnthropicPath)]
    public async Task PassThroughStream_CommentThenDataInTime_OneAttemptAndEveryByteAsSent(string provider, string path)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Stream(provider));
        upstream.Preamble = ": keep-alive\n\n";
        await using var f = await FixtureAsync(upstream, provider, "60s");
        using var models = await StartAsync(f, passThrough: true);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(": keep-alive\n\n" + Stream(provider), text);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, 1), (trace.Status, trace.Error, trace.Attempts));
        Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.Equal(1, upstream.Requests);
    }

    [Theory]
    [InlineData("openai", OpenAiPath, true)]
    [InlineData("anthropic", AnthropicPath, true)]
    [InlineData("openai", AnthropicPath, false)]
    [InlineData("anthropic", OpenAiPath, false)]
    public async Task Stream_FirstChunkStalledOnEveryAttempt_504AfterMaxRetriesPlusOneAttempts(string provider, string path, bool passThrough)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Stream(provider));
        upstream.StallFirstChunk = int.MaxValue;
        await using var f = await FixtureAsync(upstream, provider, "2s");
        using var models = await StartAsync(f, passThrough);

        using var response = await f.PostAsync(path, Streamed(path));
        _ = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((504, true, 200, 3), (trace.Status, trace.IsError, trace.UpstreamStatus, trace.Attempts));
        Assert.Equal(3, upstream.Requests);
    }

    [Theory]
    [InlineData("openai", OpenAiPath)]
    [InlineData("anthropic", AnthropicPath)]
    public async Task PassThroughStream_FirstChunkInTime_OneAttemptAndTheStreamAsSent(string provider, string path)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", Stream(provider));
        await using var f = await FixtureAsync(upstream, provider, "60s");
        using var models = await StartAsync(f, passThrough: true);

        using var response = await f.PostAsync(path, Streamed(path));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Stream(provider), text);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, null, 1), (trace.Status, trace.Error, trace.Attempts));
        Assert.NotNull(trace.TimeToFirstTokenMs);
        Assert.Equal(1, upstream.Requests);
    }

    private static string Stream(string provider) => provider == "openai" ? OpenAiStream : AnthropicStream;

    private static string Streamed(string path) => path == AnthropicPath
        ? GatewayFixture.Message(extra: ""","stream":true""")
        : GatewayFixture.Chat(extra: ""","stream":true,"stream_options":{"include_usage":true}""");

    /// <summary>The sample manifest with its release on <paramref name="provider"/> at the upstream: two retries, the given timeout.</summary>
    private static Task<GatewayFixture> FixtureAsync(JunkUpstream upstream, string provider, string timeout) =>
        GatewayFixture.CreateAsync(editManifest: y => upstream.ManifestFor(provider)(y).Replace("max_retries: 0", $"max_retries: 2, timeout: {timeout}", StringComparison.Ordinal));

    /// <summary>Starts the gateway on the real provider pipelines, retrying a millisecond apart.</summary>
    private static async Task<ModelClientFactory> StartAsync(GatewayFixture f, bool passThrough)
    {
        var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8", RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        return models;
    }
}
