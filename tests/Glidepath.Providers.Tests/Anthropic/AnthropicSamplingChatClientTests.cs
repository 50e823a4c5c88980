using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Anthropic;

/// <summary>
/// The Anthropic client (the official SDK's chat client behind our pipeline) sends temperature, top_p and top_k when the
/// options set them, as the gateway's pass-through path does; read back from the request body a fake Messages API on
/// 127.0.0.1 received.
/// </summary>
public sealed class AnthropicSamplingChatClientTests : IAsyncLifetime
{
    private const string KeyEnv = "GLIDEPATH_TEST_KEY";
    private static readonly string[] SamplingFields = ["temperature", "top_p", "top_k"];
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_SamplingOptionsSet_SendsThemInTheBody(bool stream)
    {
        var body = await SendAsync(o =>
        {
            o.Temperature = 0; // the case that ran at the provider's default 1.0 before
            o.TopP = 0.9f;
            o.TopK = 40;
        }, stream);

        Assert.Equal(0, body["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, body["top_p"]!.GetValue<double>(), 6);
        Assert.Equal(40, body["top_k"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GetResponse_NoSamplingOptions_SendsNoneOfThem(bool stream)
    {
        var body = await SendAsync(o => o.Temperature = null, stream);

        foreach (var field in SamplingFields)
        {
            Assert.False(body.ContainsKey(field), $"'{field}' was sent though nothing set it: {body.ToJsonString()}");
        }
    }

    [Fact]
    public async Task GetResponse_OnlyTopKSet_SendsOnlyTopK()
    {
        var body = await SendAsync(o =>
        {
            o.Temperature = null;
            o.TopK = 5;
        });

        Assert.Equal(5, body["top_k"]!.GetValue<int>());
        Assert.False(body.ContainsKey("temperature"));
        Assert.False(body.ContainsKey("top_p"));
    }

    [Fact]
    public async Task GetResponse_SamplingOptionsSet_RestOfTheBodyIsWhatTheSdkSendsWithout()
    {
        void Shared(ChatOptions o)
        {
            o.StopSequences = ["END"];
            o.ToolMode = ChatToolMode.RequireAny;
        }

        var sampled = await SendAsync(o =>
        {
            Shared(o);
            o.Temperature = 0.7f;
            o.TopP = 0.5f;
            o.TopK = 3;
        });
        var plain = await SendAsync(o =>
        {
            Shared(o);
            o.Temperature = null;
        });

        foreach (var field in SamplingFields)
        {
            sampled.Remove(field);
        }

        // model, max_tokens (the options' 300), system, messages, tools, tool_choice and stop_sequences all as the SDK writes them.
        Assert.Equal(300, plain["max_tokens"]!.GetValue<int>());
        Assert.Equal(["END"], plain["stop_sequences"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(plain, sampled), $"with sampling: {sampled.ToJsonString()}\nwithout: {plain.ToJsonString()}");
    }

    [Fact]
    public async Task GetResponse_NoMaxOutputTokens_SendsTheReleasesMaxTokensAndModel()
    {
        var body = await SendAsync(o => o.MaxOutputTokens = null, parameters: new ModelParameters { MaxTokens = 123 });

        Assert.Equal(123, body["max_tokens"]!.GetValue<int>());
        Assert.Equal(WireFormat.Anthropic.Model, body["model"]!.GetValue<string>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task GetResponse_CallersRawRepresentation_KeepsItsFieldsAndAddsSampling()
    {
        var body = await SendAsync(o => o.RawRepresentationFactory = _ => new MessageCreateParams
        {
            MaxTokens = 77,
            Messages = [],
            Model = "claude-raw",
            Metadata = new Metadata { UserID = "u-9" },
        });

        Assert.Equal(77, body["max_tokens"]!.GetValue<int>());
        Assert.Equal("claude-raw", body["model"]!.GetValue<string>());
        Assert.Equal("u-9", body["metadata"]!["user_id"]!.GetValue<string>());
        Assert.Equal(0.2, body["temperature"]!.GetValue<double>(), 6);
    }

    /// <summary>Sends the standard conversation (temperature 0.2, 300 max output tokens, one tool) changed by <paramref name="configure"/>
    /// through the factory's Anthropic client; returns the JSON body the fake server received.</summary>
    private async Task<JsonObject> SendAsync(Action<ChatOptions> configure, bool stream = false, ModelParameters? parameters = null)
    {
        var wire = WireFormat.Anthropic;
        _server.Enqueue(stream ? FakeProviderServer.Sse(wire.Stream(["ok"], 5, 1)) : FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = new ModelClientFactory(TimeProvider.System, new PriceTable(),
            defaults: new ModelClientDefaults { GetEnvironmentVariable = n => n == KeyEnv ? "sk-test-0123456789abcdef" : null });
        var client = factory.Create(
            new ModelSpec { Provider = wire.Provider, Name = wire.Model, Parameters = parameters ?? new ModelParameters() },
            new ProviderSettings { BaseUrl = wire.BaseUrl(_server.BaseUrl), ApiKeyEnv = KeyEnv, Timeout = TimeSpan.FromSeconds(10), MaxRetries = 0 },
            new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        configure(options);
        var (callersFactory, callersTemperature) = (options.RawRepresentationFactory, options.Temperature);
        var before = _server.Requests.Count;
        if (stream)
        {
            await foreach (var update in client.GetStreamingResponseAsync(messages, options))
            {
                _ = update;
            }
        }
        else
        {
            Assert.Equal("ok", (await client.GetResponseAsync(messages, options)).Text);
        }

        Assert.Same(callersFactory, options.RawRepresentationFactory); // the caller's options are never changed
        Assert.Equal(callersTemperature, options.Temperature);
        var request = _server.Requests.Skip(before).Single();
        Assert.Equal("/v1/messages", request.Path);
        return JsonNode.Parse(request.Body)!.AsObject();
    }
}
