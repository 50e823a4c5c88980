using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>Each provider client against a fake server speaking its wire format over real HTTP on 127.0.0.1.</summary>
public sealed class ProviderWireTests : IAsyncLifetime
{
    private const string KeyEnv = "GLIDEPATH_TEST_KEY";
    private const string Key = "sk-test-0123456789abcdef";
    private FakeProviderServer _server = null!;
    private readonly CapturingLoggerProvider _logs = new();

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_TextAnswer_SendsPromptParametersAndToolsAndReturnsTextUsageCost(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Json(wire.Text("Items can be returned within 30 days.", 120, 9)));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation();
        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("Items can be returned within 30 days.", response.Text);
        Assert.Equal(120, response.Usage?.InputTokenCount);
        Assert.Equal(9, response.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var expectedCost = PriceTable.Defaults[wire.Model].Input * 120 / 1e6 + PriceTable.Defaults[wire.Model].Output * 9 / 1e6;
        Assert.Equal((decimal)expectedCost, Assert.IsType<decimal>(response.AdditionalProperties![ModelResponseProperties.CostUsd]), 9);

        var request = Assert.Single(_server.Requests);
        Assert.Equal(wire.RequestPath, request.Path);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Contains("You are a support agent for gold customers.", request.Body, StringComparison.Ordinal);
        Assert.Contains("How long do I have to return an item?", request.Body, StringComparison.Ordinal);
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(300, body[provider == "openai" ? "max_completion_tokens" : "max_tokens"]!.GetValue<int>());

        Assert.Equal(wire.Model, body["model"]!.GetValue<string>());
        Assert.Contains("lookup_order", request.Body, StringComparison.Ordinal);
        Assert.Contains("NW-48213", request.Body, StringComparison.Ordinal); // the schema's description travelled
        var auth = request.Headers.TryGetValue("x-api-key", out var k) ? k : request.Headers["Authorization"];
        Assert.Contains(Key, auth, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_ToolCallThenResult_RoundTripsCallAndResult(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(
            FakeProviderServer.Json(wire.ToolCall("call_42", "lookup_order", """{"order_id":"NW-48213"}""", 80, 12)),
            FakeProviderServer.Json(wire.Text("Your order NW-48213 has shipped.", 140, 10)));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation("Where is my order NW-48213?");
        var first = await client.GetResponseAsync(messages, options);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("lookup_order", call.Name);
        Assert.Equal("call_42", call.CallId);
        Assert.Equal("NW-48213", call.Arguments!["order_id"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_42", """{"status":"shipped"}""")]));
        var second = await client.GetResponseAsync(messages, options);

        Assert.Equal("Your order NW-48213 has shipped.", second.Text);
        var followUp = _server.Requests.Last().Body;
        Assert.Contains("call_42", followUp, StringComparison.Ordinal);
        Assert.Contains("shipped", followUp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetStreamingResponse_Chunks_AssembleTextUsageAndFinishReason(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Sse(wire.Stream(["Items ", "can be ", "returned."], 50, 6)));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(u);
        }

        var response = updates.ToChatResponse();
        Assert.True(updates.Count(u => u.Text.Length > 0) >= 3, "each chunk should arrive as its own update");
        Assert.Equal("Items can be returned.", response.Text);
        Assert.Equal(50, response.Usage?.InputTokenCount);
        Assert.Equal(6, response.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Contains(updates, u => u.AdditionalProperties?.ContainsKey(ModelResponseProperties.CostUsd) == true);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_429WithRetryAfter_WaitsThatLongAndRetries(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(
            FakeProviderServer.Json(wire.Error("slow down"), 429, ("retry-after", "1")),
            FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation();
        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains(_logs.Lines, l => l.Contains("status 429", StringComparison.Ordinal) && l.Contains("retrying after 1000 ms", StringComparison.Ordinal));
    }

    // glidepath serve builds its model factory before the gateway's host and never passed it the host's logging: a trial
    // saw 268 retried 500s, 186 retried 429s and 137 retried timeouts, and not one line in the gateway's log.
    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_FactoryBuiltWithoutLogging_RetryLoggedThroughTheHostLoggingAttachedAfterTheClient(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(
            FakeProviderServer.Json(wire.Error("upstream exploded"), 500),
            FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = new ModelClientFactory(TimeProvider.System, new PriceTable(),
            defaults: new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(10), GetEnvironmentVariable = n => n == KeyEnv ? Key : null });
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());
        using var host = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Information));

        factory.UseHostLogging(host);
        var (messages, options) = Conversation();
        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("ok", response.Text);
        Assert.Contains(_logs.Lines, l => l.Contains($"model provider {provider}: attempt 1 failed (status 500", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_Persistent500_RetriesThenThrowsWithStatusAndProviderMessage(string provider)
    {
        var wire = WireFormat.Of(provider);
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue(FakeProviderServer.Json(wire.Error("upstream exploded"), 500));
        }

        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 2 }, new ModelClientOptions());

        var (messages, options) = Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(provider, ex.Provider);
        Assert.Contains("upstream exploded", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Operational, ex.Kind);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_MalformedJson_ThrowsMalformedResponseWithoutRetrying(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Json("{\"id\": \"x\", \"choices\": [ {\"message\": "));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(ProviderFailure.MalformedResponse, ex.Failure);
        Assert.Contains("not in the provider's documented format", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("openai", 307)]
    [InlineData("anthropic", 307)]
    [InlineData("anthropic", 302)]
    public async Task GetResponse_Redirect_IsNotFollowedAndFailsWithoutSendingTheKeyOn(string provider, int status)
    {
        // A redirect would send the request again, with its key: .NET drops only an Authorization header on a
        // redirect, not Anthropic's x-api-key. A provider's answer is never a redirect; it is an error, not followed.
        var wire = WireFormat.Of(provider);
        _server.Enqueue(
            FakeProviderServer.Json("{}", status, ("Location", _server.BaseUrl + "/elsewhere?sig=secret-signature")),
            FakeProviderServer.Json(wire.Text("followed", 1, 1)));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(ProviderFailure.Rejected, ex.Failure);
        Assert.Contains(_server.BaseUrl + "/elsewhere", ex.ProviderMessage, StringComparison.Ordinal); // where it pointed, to fix base_url
        Assert.Contains("base_url", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-signature", ex.ProviderMessage, StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        Assert.Equal(wire.RequestPath, request.Path);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetStreamingResponse_StalledStream_ThrowsTimeout(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Sse(wire.Stream(["Items ", "can be ", "returned."], 50, 6), stallAfter: 3));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { Timeout = TimeSpan.FromSeconds(2), MaxRetries = 0 }, new ModelClientOptions());

        var (messages, options) = Conversation();
        var received = new List<string>();
        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync(messages, options))
            {
                received.Add(u.Text);
            }
        });

        Assert.Equal(ProviderFailure.Timeout, ex.Failure);
        Assert.Contains("Items ", string.Concat(received), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_NoAnswer_ThrowsTimeoutAfterRetriesLoggedAsNoResponse(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Stall(), FakeProviderServer.Stall());
        using var factory = Factory();
        // Each attempt has 2 s: long enough that even a loaded machine delivers the request to the server before the
        // client gives up (with 500 ms an attempt sometimes timed out before the server had read it).
        var client = factory.Create(Model(wire), Settings(wire) with { Timeout = TimeSpan.FromSeconds(2), MaxRetries = 1 }, new ModelClientOptions());

        var (messages, options) = Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(ProviderFailure.Timeout, ex.Failure);
        Assert.Null(ex.StatusCode);
        Assert.Equal(2, _server.Arrivals);
        // The retry's warning said "(status (null), Timeout)" when no status came (trial "steps", defect 4).
        Assert.Contains(_logs.Lines, l => l.Contains($"model provider {provider}: attempt 1 failed (no response, Timeout); retrying after", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("(null)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_KeyVariableUnset_ThrowsNamingTheVariable()
    {
        using var factory = new ModelClientFactory(TimeProvider.System, new PriceTable(), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => null });
        var ex = Assert.Throws<ProviderException>(() => factory.Create(
            new ModelSpec { Provider = "anthropic", Name = "claude-sonnet-4-5" }, new ProviderSettings { ApiKeyEnv = "MY_ANTHROPIC_KEY" }, new ModelClientOptions()));
        Assert.Contains("MY_ANTHROPIC_KEY", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderFailure.Configuration, ex.Failure);
    }

    internal static (List<ChatMessage> Messages, ChatOptions Options) Conversation(string question = "How long do I have to return an item?")
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, "You are a support agent for gold customers."),
            new(ChatRole.User, question),
        };
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"order_id":{"type":"string","description":"The order number, e.g. NW-48213"}},"required":["order_id"]}""");
        var options = new ChatOptions
        {
            Temperature = 0.2f,
            MaxOutputTokens = 300,
            Tools = [AIFunctionFactory.CreateDeclaration("lookup_order", "Look up an order by number.", schema.RootElement.Clone())],
        };
        return (messages, options);
    }

    private ModelClientFactory Factory() => new(
        TimeProvider.System,
        new PriceTable(),
        loggerFactory: LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)),
        defaults: new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(10), GetEnvironmentVariable = n => n == KeyEnv ? Key : null });

    private static ModelSpec Model(WireFormat wire) => new()
    {
        Provider = wire.Provider,
        Name = wire.Model,
        Parameters = new ModelParameters { Temperature = 0.2, MaxTokens = 300 },
    };

    private ProviderSettings Settings(WireFormat wire) => new()
    {
        BaseUrl = wire.BaseUrl(_server.BaseUrl),
        ApiKeyEnv = KeyEnv,
        Timeout = TimeSpan.FromSeconds(10),
        MaxRetries = 2,
    };
}
