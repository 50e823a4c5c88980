using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests;

/// <remarks>Runs as is (scripted clients in-process: the translating path) and again, in the derived classes below, over HTTP
/// through the pass-through path and the translating one against a <see cref="ScriptedUpstream"/> answering with the same scripts.</remarks>
public class ChatEndpointTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    /// <summary>Null: in-process; otherwise the provider and path over HTTP.</summary>
    internal virtual GatewayUpstream? Upstream => null;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync(upstream: Upstream);
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task ChatCompletions_NonStreaming_AnswersInOpenAiFormatWithTraceAndTimingHeaders()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Glidepath-Release"), "routing headers are off unless the environment opts in");
        Assert.False(response.Headers.Contains("Glidepath-Arm"), "routing headers are off unless the environment opts in");
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Matches(@"^gateway;dur=\d+(\.\d+)?$", response.Headers.GetValues("Server-Timing").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("hello from the fake", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(12, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Messages_NonStreaming_AnswersInAnthropicFormat()
    {
        using var response = await _f.PostAsync("/v1/messages", GatewayFixture.Message());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("hello from the fake", doc.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", doc.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task ChatCompletions_ToolCall_ReturnedAsOpenAiToolCalls()
    {
        _f.Models.For("stable-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "A-1001" })]))
        { FinishReason = ChatFinishReason.ToolCalls };

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat("Where is order A-1001?"));

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = choice.GetProperty("message").GetProperty("tool_calls")[0];
        Assert.Equal("lookup_order", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"order_id":"A-1001"}""", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Messages_ToolResultTurn_ReachesModelAsToolMessage()
    {
        const string body = """
            {"model":"support-agent","max_tokens":100,"messages":[
              {"role":"user","content":"Where is order A-1001?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup_order","input":{"order_id":"A-1001"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"shipped yesterday"}]}]}
            """;

        using var response = await _f.PostAsync("/v1/messages", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var messages = _f.Models.For("stable-model").LastMessages!;
        var call = Assert.IsType<FunctionCallContent>(messages[2].Contents.Single());
        Assert.Equal("A-1001", call.Arguments!["order_id"]!.ToString());
        Assert.Equal(ChatRole.Tool, messages[3].Role);
        Assert.Equal("shipped yesterday", Assert.IsType<FunctionResultContent>(messages[3].Contents.Single()).Result);
    }

    [Fact]
    public async Task ChatCompletions_ProviderRateLimited_429InOpenAiFormat()
    {
        _f.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", 429, "slow down", Glidepath.Errors.ProviderFailure.RateLimited);

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ChatCompletions_ProviderRedirects_502AndTheRedirectIsNotFollowed()
    {
        _f.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", 307, "moved", Glidepath.Errors.ProviderFailure.Rejected);

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Null(response.Headers.Location);
        if (_f.Upstream is { } upstream)
        {
            Assert.Single(upstream.Bodies); // sent once: the redirect was not followed with the request and its key
        }
    }

    [Fact]
    public async Task Messages_ProviderServerError_502InAnthropicFormat()
    {
        _f.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", 500, "boom", Glidepath.Errors.ProviderFailure.ServerError);

        using var response = await _f.PostAsync("/v1/messages", GatewayFixture.Message());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Contains("boom", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The cases of <see cref="ChatEndpointTests"/> over HTTP: the release on an OpenAI-compatible provider, passed through.</summary>
public sealed class ChatEndpointOpenAiPassThroughTests : ChatEndpointTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.OpenAiPassThrough;
}

/// <summary>The cases of <see cref="ChatEndpointTests"/> over HTTP: the release on Anthropic, passed through.</summary>
public sealed class ChatEndpointAnthropicPassThroughTests : ChatEndpointTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.AnthropicPassThrough;
}

/// <summary>The cases of <see cref="ChatEndpointTests"/> over HTTP: the release on an OpenAI-compatible provider, pass-through off.</summary>
public sealed class ChatEndpointOpenAiTranslatingTests : ChatEndpointTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.OpenAiTranslating;
}
