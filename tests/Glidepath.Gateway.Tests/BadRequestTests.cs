using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests;

public sealed class BadRequestTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        await _f.StartAsync(server: s => s with { Gateway = new GatewayOptions { MaxRequestBodyBytes = 64 * 1024 } });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Theory]
    [InlineData("/v1/chat/completions", "{not json", 400, "not valid JSON")]
    [InlineData("/v1/messages", "{not json", 400, "not valid JSON")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent"}""", 400, "'messages' is required")]
    [InlineData("/v1/messages", """{"model":"support-agent","max_tokens":5,"messages":[]}""", 400, "'messages' is required")]
    [InlineData("/v1/chat/completions", """{"messages":[{"role":"user","content":"hi"}]}""", 400, "'model' is required")]
    [InlineData("/v1/chat/completions", """{"model":"billing-bot","messages":[{"role":"user","content":"hi"}]}""", 404, "unknown app 'billing-bot'")]
    [InlineData("/v1/messages", """{"model":"support-agent@production","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", 404, "serves environment 'staging'")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","messages":[{"role":"robot","content":"hi"}]}""", 400, "expected system, developer, user, assistant or tool")]
    [InlineData("/v1/chat/completions", """[1,2]""", 400, "JSON object")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","messages":[{"role":"user","content":"x"}],"messages":[{"role":"user","content":"ok"}]}""", 400, "Duplicate property 'messages'); send each key once")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"file:///etc/passwd","url":"https://a.example/x.png"}}]}]}""", 400, "Duplicate property 'url'")]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","top_p":5,"top_p":0.5,"messages":[{"role":"user","content":"hi"}]}""", 400, "Duplicate property 'top_p'")]
    [InlineData("/v1/messages", """{"model":"support-agent","max_tokens":5,"stream":false,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", 400, "Duplicate property 'stream'")]
    public async Task Post_BadRequest_4xxWithClearMessage(string path, string body, int status, string expected)
    {
        using var response = await _f.PostAsync(path, body);

        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, ErrorMessage(text), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    // Trial newcomer4 L6: a near-miss of a required top-level key ("message" for "messages") was refused with no hint; the
    // 400 names the key the body has and the one it likely meant, in the caller's wire format. A key that is not near
    // (or a present key of the wrong shape) gets no guess.
    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"support-agent","message":[{"role":"user","content":"hi"}]}""", "'messages' is required: a non-empty array of {\"role\", \"content\"}; the body has 'message': did you mean 'messages'?")]
    [InlineData("/v1/messages", """{"model":"support-agent","max_tokens":5,"mesages":[{"role":"user","content":"hi"}]}""", "'messages' is required: a non-empty array of {\"role\", \"content\"}; the body has 'mesages': did you mean 'messages'?")]
    [InlineData("/v1/chat/completions", """{"modle":"support-agent","messages":[{"role":"user","content":"hi"}]}""", "; the body has 'modle': did you mean 'model'?")]
    [InlineData("/v1/messages", """{"Model":"support-agent","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", "; the body has 'Model': did you mean 'model'?")]
    public async Task Post_NearMissOfARequiredKey_400WithDidYouMeanInTheCallersWireFormat(string path, string body, string expected)
    {
        using var response = await _f.PostAsync(path, body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.EndsWith(expected, WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    [Theory]
    [InlineData("""{"model":"support-agent","prompt":"hi"}""")]
    [InlineData("""{"model":"support-agent","messages":[]}""")]
    [InlineData("""{"model":"support-agent","messages":[],"message":[{"role":"user","content":"hi"}]}""")] // present but empty: the error says what it must be
    public async Task Post_RequiredKeyMissingWithNoNearMiss_NoGuess(string body)
    {
        using var response = await _f.PostAsync("/v1/chat/completions", body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.DoesNotContain("did you mean", WireAssert.ErrorMessage("/v1/chat/completions", await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    // From an outside trial: with curl, error bodies read "unknown app \u0027billing-bot\u0027".
    [Fact]
    public async Task Post_Error_BodyKeepsApostrophesReadableAndIsValidJson()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", """{"model":"billing-bot","messages":[{"role":"user","content":"hi"}]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("unknown app 'billing-bot'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.Contains("unknown app 'billing-bot'", ErrorMessage(text), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_AKeyGivenTwice_400SayingSo()
    {
        using var response = await _f.PostAsync("/v1/feedback", """{"trace_id":"a","trace_id":"b","score":1}""");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("gives a key twice in one object (Duplicate property 'trace_id')", ErrorMessage(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"trace_id":"a","score":1,"comment":"lone \udc00"}""")]
    [InlineData("""{"trace_id":"a","score":1,"\ud800":"x"}""")]
    public async Task Feedback_TextNotValidUnicode_400SayingSo(string body)
    {
        using var response = await _f.PostAsync("/v1/feedback", body);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("not valid Unicode", ErrorMessage(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    // A body nested past the parser's 64 levels said only "not valid JSON"; the reason names the limit.
    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/feedback")]
    public async Task Post_NestedPastTheDepthLimit_400NamingTheLimit(string path)
    {
        var body = new string('[', 1_000) + new string(']', 1_000);
        using var response = await _f.PostAsync(path, body);

        Assert.Equal(400, (int)response.StatusCode);
        var message = ErrorMessage(await response.Content.ReadAsStringAsync());
        Assert.Contains("not valid JSON", message, StringComparison.Ordinal);
        Assert.Contains("maximum configured depth of 64", message, StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }

    // Routing's own 405 and 404 had no body; an SDK reported them as unexplained failures.
    [Theory]
    [InlineData("GET", "/v1/chat/completions", 405, "/v1/chat/completions takes POST, not GET", "POST")]
    [InlineData("DELETE", "/v1/messages", 405, "/v1/messages takes POST, not DELETE", "POST")]
    [InlineData("POST", "/v1/models", 405, "/v1/models takes GET, not POST", "GET")]
    [InlineData("DELETE", "/v1/models/support-agent", 405, "/v1/models/{id} takes GET, not DELETE", "GET")]
    [InlineData("GET", "/v1/models/a/b", 404, "no endpoint at GET /v1/models/a/b", null)]
    [InlineData("POST", "/v1/embeddings", 404, "no endpoint at POST /v1/embeddings; the gateway serves POST /v1/chat/completions", null)]
    [InlineData("GET", "/v1/", 404, "no endpoint at GET /v1", null)]
    [InlineData("POST", "/chat/completions", 404, "the gateway's paths start with /v1 (POST /v1/chat/completions); an OpenAI SDK's base URL ends in /v1 (127.0.0.1:", null)]
    [InlineData("GET", "/models/support-agent", 404, "(GET /v1/models/support-agent)", null)]
    public async Task UnmatchedPathOrMethod_StatusWithABodyInTheCallersFormat(string method, string path, int status, string expected, string? allow)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), _f.Url + path);

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(expected, ErrorMessage(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(allow, response.Content.Headers.Allow.Count == 0 ? null : string.Join(",", response.Content.Headers.Allow));
        if (path == "/v1/messages")
        {
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        }
    }

    // Current Anthropic SDKs send their key as Authorization: Bearer, like OpenAI's: a path under /v1/messages/
    // (count_tokens, batches) or their anthropic-version header says who is calling.
    [Theory]
    [InlineData("/v1/messages/count_tokens", null, true)]
    [InlineData("/v1/messages/batches", null, true)]
    [InlineData("/v1/embeddings", "2026-10-21", true)]
    [InlineData("/v1/embeddings", null, false)]
    [InlineData("/v1/messagesx", null, false)]
    public async Task UnmatchedPath_CallerLooksLikeAnAnthropicSdk_ErrorInAnthropicsFormat(string path, string? anthropicVersion, bool anthropic)
    {
        using var response = await _f.PostAsync(path, "{}", r =>
        {
            r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "unused");
            if (anthropicVersion is not null)
            {
                r.Headers.Add("anthropic-version", anthropicVersion);
            }
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no endpoint at POST " + path, WireAssert.ErrorMessage(anthropic ? "/v1/messages" : "/v1/chat/completions", await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_OversizedBody_413()
    {
        var big = new string('a', 100 * 1024);
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than the gateway's limit", ErrorMessage(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_OversizedChunkedBody_413()
    {
        var big = new string('a', 100 * 1024);
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + "/v1/chat/completions")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(GatewayFixture.Chat(big)))),
        };
        request.Headers.TransferEncodingChunked = true;
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ChatCompletions_MissingTemplateVar_400NamingTheVar()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml")).Replace("customer_tier: standard }", "}", StringComparison.Ordinal);
        await f.StartAsync(s => s with { Manifest = Glidepath.Manifests.ManifestParser.Parse(yaml, "glidepath.yaml", new Glidepath.Files.WorkingTreeFileSource(f.Directory)) });

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("customer_tier", ErrorMessage(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_NoStableRelease_503()
    {
        var state = await _f.SetAsync(s => s with { StableReleaseId = null }, "rollback");
        await _f.WaitForRevisionAsync(state.Revision);

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var message = ErrorMessage(await response.Content.ReadAsStringAsync());
        Assert.Contains("no stable release", message, StringComparison.Ordinal);
        Assert.Contains("'glidepath deploy <REF> --env ", message, StringComparison.Ordinal);
    }

    private static string ErrorMessage(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }
}
