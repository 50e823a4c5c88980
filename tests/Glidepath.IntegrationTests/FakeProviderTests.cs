using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Translation across wire formats through the real provider pipeline: the Anthropic SDK calls the gateway,
/// whose release runs on a local OpenAI-compatible provider.
/// </summary>
public sealed class FakeProviderTests : IAsyncLifetime
{
    private FakeOpenAiUpstream _upstream = null!;
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAiUpstream.StartAsync();
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("provider: sim ", "provider: openai ", StringComparison.Ordinal)
            .Replace("name: sim-support-1", "name: fake-gpt", StringComparison.Ordinal)
            .Replace("\n    options: { first_token_ms: 1, tokens_per_second: 100000 }", "", StringComparison.Ordinal)
            .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }", $"openai: {{ base_url: {_upstream.Url}/v1 }}", StringComparison.Ordinal));
        await _app.StartGatewayAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private IChatClient Anthropic() =>
        new AnthropicClient(new ClientOptions { ApiKey = "unused", BaseUrl = _app.Url, MaxRetries = 0 }).AsIChatClient("support-agent", 100);

    [Fact]
    public async Task AnthropicSdk_OpenAiUpstream_TranslatedBothWays()
    {
        var response = await Anthropic().GetResponseAsync([new ChatMessage(ChatRole.User, "Hi!")]);

        Assert.Equal("Hello there", response.Text);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal("fake-gpt", _upstream.LastRequest.GetProperty("model").GetString());
        var system = _upstream.LastRequest.GetProperty("messages")[0];
        Assert.Equal("system", system.GetProperty("role").GetString());
        Assert.Contains("Northwind Outfitters", system.GetProperty("content").ToString(), StringComparison.Ordinal);
        Assert.Equal(3, _upstream.LastRequest.GetProperty("tools").GetArrayLength());
    }

    [Fact]
    public async Task AnthropicSdk_OpenAiUpstreamToolCall_ArrivesAsToolUse()
    {
        var response = await Anthropic().GetResponseAsync([new ChatMessage(ChatRole.User, "Where is my order?")]);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("call_42", "lookup_order"), (call.CallId, call.Name));
        Assert.Equal("NW-1", call.Arguments!["order_id"]!.ToString());
    }

    [Fact]
    public async Task AnthropicSdk_SlowStreamingUpstream_FirstTextBeforeUpstreamFinishes()
    {
        _upstream.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var updates = Anthropic().GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi!")]).GetAsyncEnumerator();

        string first = "";
        while (first.Length == 0)
        {
            Assert.True(await updates.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            first = updates.Current.Text;
        }

        Assert.Equal("Hello", first);
        Assert.False(_upstream.Gate.Task.IsCompleted);
        _upstream.Gate.SetResult();
        var rest = "";
        while (await updates.MoveNextAsync())
        {
            rest += updates.Current.Text;
        }

        Assert.Equal(" there", rest);
    }
}
