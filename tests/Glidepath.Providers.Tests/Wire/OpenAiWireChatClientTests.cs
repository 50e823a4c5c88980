using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>
/// The lean OpenAI-compatible client (<see cref="ModelClientOptions.LeanClient"/>) against the OpenAI SDK path, both over
/// real HTTP on 127.0.0.1: the same conversation must leave as the same JSON and the same answer must come back as the
/// same <see cref="ChatResponse"/>; errors fail as they do on the SDK path.
/// </summary>
public sealed class OpenAiWireChatClientTests : IAsyncLifetime
{
    private const string KeyEnv = "GLIDEPATH_TEST_KEY";
    private const string Key = "sk-test-0123456789abcdef";
    private static readonly WireFormat Wire = WireFormat.OpenAI;
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string> Conversations => ["text", "tool-round-trip", "tool-modes", "tool-schemas"];

    [Theory]
    [MemberData(nameof(Conversations))]
    public async Task GetResponse_SameConversation_SendsTheBodyTheSdkSends(string name)
    {
        var (messages, options) = Conversation(name);
        var sdk = await SendAsync(lean: false, messages, options, Wire.Text("ok", 10, 1));
        var lean = await SendAsync(lean: true, messages, options, Wire.Text("ok", 10, 1));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sdk.Request.Body), JsonNode.Parse(lean.Request.Body)), $"SDK:  {sdk.Request.Body.Replace("\n", "", StringComparison.Ordinal)}\nlean: {lean.Request.Body}");
        Assert.Equal(sdk.Request.Path, lean.Request.Path);
        foreach (var header in new[] { "Authorization", "Content-Type", "Accept" })
        {
            Assert.Equal(sdk.Request.Headers.GetValueOrDefault(header), lean.Request.Headers.GetValueOrDefault(header));
        }
    }

    public static TheoryData<string> Answers => new()
    {
        Wire.Text("Items can be returned within 30 days.", 120, 9),
        Wire.ToolCall("call_42", "lookup_order", """{"order_id":"NW-48213","express":true,"n":2}""", 80, 12),
        Wire.ToolCall("call_7", "lookup_order", "not json", 80, 12),
        """{"id":"c-1","object":"chat.completion","created":1700000001,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"cut"},"finish_reason":"length"},{"index":1,"message":{"role":"assistant","content":"second"},"finish_reason":"stop"}]}""",
        """{"id":"c-2","object":"chat.completion","created":1700000002,"model":"m","system_fingerprint":"fp","choices":[{"index":0,"message":{"role":"assistant","content":"filtered","refusal":null},"finish_reason":"content_filter","logprobs":null}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""",
        """{"id":"c-3","object":"chat.completion","created":1700000003,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":3,"audio_tokens":1},"completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":2,"accepted_prediction_tokens":5,"rejected_prediction_tokens":6}}}""",
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task GetResponse_SameAnswer_ReturnsTheResponseTheSdkReturns(string answer)
    {
        var (messages, options) = Conversation("text");
        var sdk = await SendAsync(lean: false, messages, options, answer);
        var lean = await SendAsync(lean: true, messages, options, answer);

        Assert.True(Describe(sdk.Response) == Describe(lean.Response), $"SDK:  {Describe(sdk.Response).Replace("\n", "", StringComparison.Ordinal)}\nlean: {Describe(lean.Response).Replace("\n", "", StringComparison.Ordinal)}");
    }

    [Fact]
    public async Task GetResponse_NoChoices_ThrowsMalformedResponseWithoutRetrying()
    {
        var (messages, options) = Conversation("text");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => SendAsync(lean: true, messages, options, """{"id":"x","object":"chat.completion","choices":[]}"""));

        Assert.Equal(ProviderFailure.MalformedResponse, ex.Failure);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetResponse_RateLimitedThenServerErrors_RetriesThenThrowsWithStatusAndMessage()
    {
        _server.Enqueue(FakeProviderServer.Json(Wire.Error("slow down"), 429, ("retry-after-ms", "20")));
        for (var i = 0; i < 3; i++)
        {
            _server.Enqueue(FakeProviderServer.Json(Wire.Error("the model is overloaded"), 500));
        }

        using var factory = Factory();
        var client = factory.Create(Model(), Settings(), new ModelClientOptions { LeanClient = true });
        var (messages, options) = Conversation("text");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(500, ex.StatusCode);
        Assert.Contains("the model is overloaded", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, _server.Requests.Count); // the first try and max_retries: 2
    }

    [Fact]
    public async Task GetResponse_ImageInTheConversation_GoesThroughTheSdkUnchanged()
    {
        var messages = new List<ChatMessage> { new(ChatRole.User, [new TextContent("What is this?"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")]) };
        var lean = await SendAsync(lean: true, messages, new ChatOptions(), Wire.Text("a picture", 10, 2));

        Assert.Equal("a picture", lean.Response.Text);
        Assert.Contains("data:image/png;base64,AQID", lean.Request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponse_Lean_StreamsThroughTheSdk()
    {
        _server.Enqueue(FakeProviderServer.Sse(Wire.Stream(["Items can ", "be returned."], 50, 4)));
        using var factory = Factory();
        var client = factory.Create(Model(), Settings(), new ModelClientOptions { LeanClient = true });
        var (messages, options) = Conversation("text");

        var response = await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync();

        Assert.Equal("Items can be returned.", response.Text);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
    }

    private async Task<(RecordedRequest Request, ChatResponse Response)> SendAsync(bool lean, List<ChatMessage> messages, ChatOptions options, string answer)
    {
        _server.Requests.Clear();
        _server.Enqueue(FakeProviderServer.Json(answer));
        using var factory = Factory();
        var client = factory.Create(Model(), Settings(), new ModelClientOptions { LeanClient = lean });
        var response = await client.GetResponseAsync(messages, options);
        return (Assert.Single(_server.Requests), response);
    }

    /// <summary>What a caller can see of a response: its serialized form (what the response cache stores) and its tool calls' parsed arguments.</summary>
    // The measured latency differs from call to call by nature: everything else must be the same.
    private static string Describe(ChatResponse response) =>
        JsonSerializer.Serialize(WithoutLatency(response), AIJsonUtilities.DefaultOptions) + "\n" + string.Join("\n", response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => $"{c.CallId} {c.Name} {JsonSerializer.Serialize(c.Arguments, AIJsonUtilities.DefaultOptions)} {c.Exception?.GetType().Name}"));

    private static ChatResponse WithoutLatency(ChatResponse response)
    {
        response.AdditionalProperties?.Remove(Glidepath.Models.ModelResponseProperties.LatencyMs);
        return response;
    }

    private static (List<ChatMessage> Messages, ChatOptions Options) Conversation(string name)
    {
        var (messages, options) = ProviderWireTests.Conversation("Where is my order NW-48213?");
        switch (name)
        {
            case "tool-round-trip":
                messages.Add(new ChatMessage(ChatRole.Assistant, [new TextContent("Let me look."), new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "NW-48213", ["n"] = 2 })]));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "shipped"), new FunctionResultContent("call_2", new Dictionary<string, object?> { ["eta"] = "2 days" })]));
                messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_3", "lookup_order", new Dictionary<string, object?>())]));
                messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_3", null)]));
                messages.Add(new ChatMessage(ChatRole.User, "Thanks \"friend\" ✓") { AuthorName = "dana" });
                break;
            case "tool-modes":
                options.ToolMode = ChatToolMode.RequireSpecific("lookup_order");
                options.TopP = 0.9f;
                options.TopK = 40; // OpenAI has no top_k: both leave it out
                options.Seed = 7;
                options.StopSequences = ["END", "STOP"];
                options.FrequencyPenalty = 0.5f;
                options.PresencePenalty = 0.25f;
                options.AllowMultipleToolCalls = false;
                options.ModelId = "gpt-4o";
                break;
            case "tool-schemas":
                using (var bare = JsonDocument.Parse("""{"description":"no type, no required","properties":{"q":{"type":"string"}}}"""))
                using (var open = JsonDocument.Parse("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","additionalProperties":true,"properties":{}}"""))
                {
                    options.Tools = [.. options.Tools!, AIFunctionFactory.CreateDeclaration("search", null, bare.RootElement.Clone()), AIFunctionFactory.CreateDeclaration("open", "Opens.", open.RootElement.Clone())];
                }

                options.ToolMode = ChatToolMode.None;
                break;
        }

        return (messages, options);
    }

    private ModelClientFactory Factory() => new(
        TimeProvider.System,
        new PriceTable(),
        defaults: new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(10), GetEnvironmentVariable = n => n == KeyEnv ? Key : null });

    private static ModelSpec Model() => new() { Provider = Wire.Provider, Name = Wire.Model, Parameters = new ModelParameters { Temperature = 0.2, MaxTokens = 300 } };

    private ProviderSettings Settings() => new() { BaseUrl = Wire.BaseUrl(_server.BaseUrl), ApiKeyEnv = KeyEnv, Timeout = TimeSpan.FromSeconds(10), MaxRetries = 2 };
}
