using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>The real providers pipeline behind the gateway, against an upstream that answers nonsense.</summary>
public sealed class UpstreamFailureTests
{
    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    public async Task Stream_UpstreamAnswers200WithNonSseBody_502InCallersFormatAndTraced(string path)
    {
        const string completion = """{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""";
        await using var upstream = await JunkUpstream.StartAsync(200, "application/json", completion);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.Manifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest));
        await f.StartAsync(s => s with { Models = models });
        var body = path == "/v1/messages" ? GatewayFixture.Message(extra: ""","stream":true""") : GatewayFixture.Chat(extra: ""","stream":true""");

        using var response = await f.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("without a single event", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((502, "provider_error", true, 200), (trace.Status, trace.Error, trace.IsError, trace.UpstreamStatus));
        Assert.Equal(1, upstream.Requests);
    }

    private const string OpenAiUnfinished =
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n";

    private const string AnthropicUnfinished =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n";

    // The provider answered 200 and then failed to give an answer (a body that is not JSON, an event that is not, a stream
    // that ends without saying why it stopped, one that ends with the provider's error event): the trace says the provider answered 200, as it does for an error body
    // sent with a 200, whatever the path (passed through, translated to the same format, translated to the other).
    [Theory]
    [InlineData("openai", "/v1/chat/completions", true, "malformed")]
    [InlineData("openai", "/v1/chat/completions", false, "malformed")]
    [InlineData("openai", "/v1/messages", true, "malformed")]
    [InlineData("anthropic", "/v1/messages", true, "malformed")]
    [InlineData("anthropic", "/v1/chat/completions", true, "malformed")]
    [InlineData("openai", "/v1/chat/completions", true, "malformed_event")]
    [InlineData("openai", "/v1/messages", true, "malformed_event")]
    [InlineData("anthropic", "/v1/messages", true, "malformed_event")]
    [InlineData("anthropic", "/v1/chat/completions", true, "malformed_event")]
    [InlineData("openai", "/v1/chat/completions", true, "unfinished")]
    [InlineData("openai", "/v1/messages", true, "unfinished")]
    [InlineData("anthropic", "/v1/messages", true, "unfinished")]
    [InlineData("anthropic", "/v1/chat/completions", true, "unfinished")]
    [InlineData("openai", "/v1/chat/completions", true, "error_event")]
    [InlineData("openai", "/v1/messages", true, "error_event")]
    [InlineData("anthropic", "/v1/messages", true, "error_event")]
    [InlineData("anthropic", "/v1/chat/completions", true, "error_event")]
    public async Task Post_Provider200ThenNoAnswer_TraceKeepsUpstreamStatus200(string provider, string path, bool passThrough, string kind)
    {
        var (type, body) = kind switch
        {
            "malformed" => ("application/json", """{"id":"x","choices":[{"index":0,"""),
            "malformed_event" => ("text/event-stream", "data: {\"id\":\"x\",\n\n"),
            "error_event" => ("text/event-stream", provider == "openai"
                ? OpenAiUnfinished.Replace("data: [DONE]", "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}", StringComparison.Ordinal)
                : AnthropicUnfinished + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}\n\n"),
            _ => ("text/event-stream", provider == "openai" ? OpenAiUnfinished : AnthropicUnfinished),
        };
        await using var upstream = await JunkUpstream.StartAsync(200, type, body);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.ManifestFor(provider));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var extra = kind == "malformed" ? "" : ""","stream":true""";

        using var response = await f.PostAsync(path, path == "/v1/messages" ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra));
        _ = await response.Content.ReadAsStringAsync();

        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((502, "provider_error", true), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(200, trace.UpstreamStatus);
        Assert.Equal(1, upstream.Requests);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    public async Task Post_AllProviderSlotsHeldByHangingCall_503OverloadedInCallersFormatAndCounted(string path)
    {
        await using var upstream = await JunkUpstream.StartHangingAsync();
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => upstream.Manifest(y, ", max_concurrency: 1, timeout: 10m"));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest));
        await f.StartAsync(s => s with { Models = models, ProviderQueueWait = TimeSpan.FromMilliseconds(200) });
        var body = path == "/v1/messages" ? GatewayFixture.Message() : GatewayFixture.Chat();
        using var giveUp = new CancellationTokenSource();
        var hanging = f.Http.PostAsync(f.Url + path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"), giveUp.Token);
        for (var i = 0; i < 1000 && upstream.Requests == 0; i++)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, upstream.Requests);

        using var response = await f.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("max_concurrency", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((503, "provider_overloaded", true), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(0, trace.Attempts); // never sent: neither a provider call nor a retried one (retry_rate)
        Assert.Equal(1, upstream.Requests);
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
    }

    [Theory]
    [InlineData("anthropic", 529, "/v1/messages", true)]
    [InlineData("anthropic", 529, "/v1/messages", false)]
    [InlineData("anthropic", 529, "/v1/chat/completions", true)]
    [InlineData("anthropic", 503, "/v1/messages", true)]
    [InlineData("openai", 503, "/v1/chat/completions", true)]
    [InlineData("openai", 503, "/v1/chat/completions", false)]
    [InlineData("openai", 503, "/v1/messages", true)]
    public async Task Post_ProviderOverloaded_503OverloadedErrorInCallersFormat_TracedProviderOverloaded(string provider, int status, string path, bool passThrough)
    {
        var error = provider == "anthropic"
            ? """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""
            : """{"error":{"message":"Overloaded","type":"server_error","code":null}}""";
        await using var upstream = await JunkUpstream.StartAsync(status, "application/json", error);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.ManifestFor(provider));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });

        using var response = await f.PostAsync(path, path == "/v1/messages" ? GatewayFixture.Message() : GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Overloaded", WireAssert.ErrorMessage(path, body), StringComparison.Ordinal);
        using (var doc = System.Text.Json.JsonDocument.Parse(body))
        {
            Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((503, "provider_overloaded", true, status), (trace.Status, trace.Error, trace.IsError, trace.UpstreamStatus));
        Assert.Equal(1, upstream.Requests);
    }

    // A transient failure is retried on both paths (the first attempt runs outside the retry policy, then hands its
    // failure to it): the caller sees the answer, the trace a success, the provider two requests.
    [Theory]
    [InlineData(503, true)]
    [InlineData(503, false)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    public async Task Post_ProviderFailsOnceThenAnswers_RetriedAndServed(int status, bool passThrough)
    {
        const string completion = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Within 30 days."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";
        await using var upstream = await JunkUpstream.StartAsync(status, "application/json", """{"error":{"message":"try again","type":"server_error","code":null}}""");
        upstream.Then = (200, "application/json", completion);
        upstream.FailFirst = 1;
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => upstream.Manifest(y).Replace("max_retries: 0", "max_retries: 2", StringComparison.Ordinal));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8", RetryBaseDelay = TimeSpan.FromMilliseconds(1) });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Within 30 days.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((200, false), (trace.Status, trace.IsError));
        Assert.Equal(2, upstream.Requests);
    }

    // The provider's Retry-After on a 429 or 503 reaches the caller (its SDK waits that long before its own retry);
    // without one the gateway sends none.
    [Theory]
    [InlineData(429, "7", "/v1/chat/completions", true, "7")]
    [InlineData(429, "7", "/v1/messages", false, "7")]
    [InlineData(503, "2", "/v1/chat/completions", false, "2")]
    [InlineData(429, null, "/v1/chat/completions", true, null)]
    public async Task Post_ProviderSaysRetryAfter_PassedOnToTheCaller(int status, string? retryAfter, string path, bool passThrough, string? expected)
    {
        const string error = """{"error":{"message":"slow down","type":"rate_limit_error","code":null}}""";
        await using var upstream = await JunkUpstream.StartAsync(status, "application/json", error, retryAfter is null ? [] : [("retry-after", retryAfter)]);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.Manifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });

        using var response = await f.PostAsync(path, path == "/v1/messages" ? GatewayFixture.Message() : GatewayFixture.Chat());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(expected, response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
    }

    // An OpenAI provider's 400 names the field to fix (param) and its code: an OpenAI-format caller gets them, on both
    // paths and streamed or not, as it would from the provider; a value that is not a field path or a code (free text, an
    // address, the provider key) is never reflected, and an Anthropic-format caller's error has no such fields.
    [Theory]
    [InlineData("/v1/chat/completions", true, false, "messages[0].content", "invalid_value", "messages[0].content", "invalid_value")]
    [InlineData("/v1/chat/completions", false, false, "messages[0].content", "invalid_value", "messages[0].content", "invalid_value")]
    [InlineData("/v1/chat/completions", true, true, "messages[0].content", "invalid_value", "messages[0].content", "invalid_value")]
    [InlineData("/v1/chat/completions", false, true, "tools[0].function.parameters", "invalid_function_parameters", "tools[0].function.parameters", "invalid_function_parameters")]
    [InlineData("/v1/chat/completions", true, false, "alice@example.com wrote this", "sk-test-4f9Qz7Xw2Lk8", null, "invalid_request_error")]
    [InlineData("/v1/chat/completions", false, false, null, null, null, "invalid_request_error")]
    [InlineData("/v1/messages", false, false, "messages[0].content", "invalid_value", null, null)]
    public async Task Post_OpenAiProviderRejectsWithParamAndCode_OpenAiCallerGetsThem(string path, bool passThrough, bool stream, string? param, string? code, string? expectedParam, string? expectedCode)
    {
        var error = System.Text.Json.JsonSerializer.Serialize(new { error = new { message = "Invalid 'messages[0].content': string too long.", type = "invalid_request_error", param, code } });
        await using var upstream = await JunkUpstream.StartAsync(400, "application/json", error);
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => upstream.Manifest(y, ", api_key_env: OPENAI_API_KEY"));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var extra = stream ? ""","stream":true""" : "";

        using var response = await f.PostAsync(path, path == "/v1/messages" ? GatewayFixture.Message(extra: extra) : GatewayFixture.Chat(extra: extra));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("string too long", WireAssert.ErrorMessage(path, body), StringComparison.Ordinal);
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        var e = doc.RootElement.GetProperty("error");
        if (path == "/v1/messages")
        {
            Assert.False(e.TryGetProperty("param", out _) || e.TryGetProperty("code", out _), body);
        }
        else
        {
            Assert.Equal(expectedParam, e.GetProperty("param").GetString());
            Assert.Equal(expectedCode, e.GetProperty("code").GetString());
        }

        Assert.DoesNotContain("alice", body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-4f9Qz7Xw2Lk8", body, StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "provider_rejected", 400), (trace.Status, trace.Error, trace.UpstreamStatus));
    }

    [Fact]
    public async Task Post_UpstreamFails_TraceKeepsItsStatusAndScrubbedMessage()
    {
        // What a 502 used to say was only "provider_error" (issue 21 item 4).
        const string error = """{"error":{"message":"Internal error for alice@example.com (key sk-live-abcdefghijklmnop)","type":"server_error"}}""";
        await using var upstream = await JunkUpstream.StartAsync(500, "application/json", error);
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.Manifest);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest));
        await f.StartAsync(s => s with { Models = models });

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((502, "provider_error", 500), (trace.Status, trace.Error, trace.UpstreamStatus));
        Assert.Contains("Internal error for [email]", trace.UpstreamMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", trace.UpstreamMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", trace.UpstreamMessage, StringComparison.Ordinal);
    }
}
