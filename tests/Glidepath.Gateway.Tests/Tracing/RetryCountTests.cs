using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// The provider pipeline's retries are counted on the trace and in the aggregates the judge reads (retry_rate), on both
/// provider paths (passed through, translated to the same format or the other one), streamed and whole, OpenAI and
/// Anthropic. A retried call that then succeeds is a 200 to the caller and no error: without this count a canary whose
/// provider fails ten times as often looked as good as stable (trial "tail", defect 1).
/// </summary>
public sealed class RetryCountTests
{
    private const string OpenAiPath = "/v1/chat/completions", AnthropicPath = "/v1/messages";

    private const string OpenAiWhole = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Within 30 days."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";

    private const string AnthropicWhole = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Within 30 days."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":3}}""";

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

    /// <summary>Each provider's three routes (its own format passed through, its own translated, the other format), streamed and whole.</summary>
    public static TheoryData<string, string, bool, bool> Routes()
    {
        var data = new TheoryData<string, string, bool, bool>();
        foreach (var provider in (string[])["openai", "anthropic"])
        {
            var own = provider == "openai" ? OpenAiPath : AnthropicPath;
            foreach (var stream in (bool[])[false, true])
            {
                data.Add(provider, own, true, stream);
                data.Add(provider, own, false, stream);
                data.Add(provider, provider == "openai" ? AnthropicPath : OpenAiPath, true, stream);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Post_ProviderFails500OnceThenAnswers_TraceAndAggregatesCountTheRetriedCall(string provider, string path, bool passThrough, bool stream)
    {
        await using var upstream = await JunkUpstream.StartAsync(500, "application/json", Error(provider));
        upstream.Then = stream
            ? (200, "text/event-stream", provider == "openai" ? OpenAiStream : AnthropicStream)
            : (200, "application/json", provider == "openai" ? OpenAiWhole : AnthropicWhole);
        upstream.FailFirst = 1;
        await using var f = await FixtureAsync(upstream, provider);
        using var models = Models(f);
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var extra = stream ? ""","stream":true""" : "";
        var body = path == AnthropicPath ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra);

        using var retried = await f.PostAsync(path, body);
        var retriedText = await retried.Content.ReadAsStringAsync();
        using var first = await f.PostAsync(path, body);
        _ = await first.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Contains("Within 30 days.", retriedText, StringComparison.Ordinal);
        var traces = (await WireAssert.TraceAsync(f, retried.Headers.GetValues("Glidepath-Trace").Single()), await WireAssert.TraceAsync(f, first.Headers.GetValues("Glidepath-Trace").Single()));
        Assert.Equal((200, false, 2), (traces.Item1.Status, traces.Item1.IsError, traces.Item1.Attempts));
        Assert.Equal((200, 1), (traces.Item2.Status, traces.Item2.Attempts));
        Assert.Equal(3, upstream.Requests);
        var arm = Assert.Single(await f.Store.Traces.ArmStatsAsync(f.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), null, default));
        Assert.Equal((2L, 0L, 2L, 1L), (arm.Count, arm.Errors, arm.ProviderCalls, arm.RetriedCalls));
    }

    // A call that fails on every attempt is an error and a retried call both: counted in error_rate and retry_rate.
    [Theory]
    [InlineData("openai", OpenAiPath, true, false)]
    [InlineData("openai", OpenAiPath, false, true)]
    [InlineData("anthropic", AnthropicPath, true, true)]
    [InlineData("anthropic", OpenAiPath, true, false)]
    public async Task Post_ProviderFails500OnEveryAttempt_502TracedWithEveryAttempt(string provider, string path, bool passThrough, bool stream)
    {
        await using var upstream = await JunkUpstream.StartAsync(500, "application/json", Error(provider));
        await using var f = await FixtureAsync(upstream, provider);
        using var models = Models(f);
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var extra = stream ? ""","stream":true""" : "";

        using var response = await f.PostAsync(path, path == AnthropicPath ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra));
        _ = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((502, true, 500, 3), (trace.Status, trace.IsError, trace.UpstreamStatus, trace.Attempts));
        Assert.Equal(3, upstream.Requests);
        var arm = Assert.Single(await f.Store.Traces.ArmStatsAsync(f.Manifest.App, "staging", DateTimeOffset.UtcNow.AddHours(-1), null, default));
        Assert.Equal((1L, 1L, 1L, 1L), (arm.Count, arm.Errors, arm.ProviderCalls, arm.RetriedCalls));
    }

    private static string Error(string provider) => provider == "anthropic"
        ? """{"type":"error","error":{"type":"api_error","message":"Internal server error"}}"""
        : """{"error":{"message":"Internal server error","type":"server_error","code":null}}""";

    /// <summary>The sample manifest with its release on <paramref name="provider"/> at the upstream, two retries.</summary>
    private static Task<GatewayFixture> FixtureAsync(JunkUpstream upstream, string provider) =>
        GatewayFixture.CreateAsync(editManifest: y => upstream.ManifestFor(provider)(y).Replace("max_retries: 0", "max_retries: 2", StringComparison.Ordinal));

    /// <summary>The real provider pipelines, retrying a millisecond apart.</summary>
    private static ModelClientFactory Models(GatewayFixture f) =>
        new(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8", RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
}
