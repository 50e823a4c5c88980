using System.ClientModel;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Glidepath.IntegrationTests;

/// <summary>The official SDKs authenticate to a gateway that requires keys with a gpk_ key as their API key, unchanged.</summary>
public sealed class OfficialSdkKeyTests : IAsyncLifetime
{
    private SampleApp _app = null!;
    private string _key = null!;

    public async Task InitializeAsync()
    {
        _app = await SampleApp.CreateAsync();
        var (exit, stdout, stderr) = await _app.CliAsync("keys", "create", "--env", "staging", "--name", "sdk-tests", "--format", "json");
        Assert.True(exit == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            _key = doc.RootElement.GetProperty("key").GetString()!;
        }

        await _app.StartGatewayAsync(requireKeys: true);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ChatClient OpenAi(string key) =>
        new("support-agent", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(_app.Url + "/v1") });

    [Fact]
    public async Task OpenAiSdk_WithTheGatewayKeyAsApiKey_Answers_AndTheTraceNamesTheKey()
    {
        ClientResult<ChatCompletion> result = await OpenAi(_key).CompleteChatAsync([new UserChatMessage("Can I return shoes after 45 days?")]);

        Assert.Contains("30-day refund window", result.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("Glidepath-Trace", out var traceId));
        var (_, traces, _) = await _app.CliAsync("traces", "list", "--env", "staging", "--key", "sdk-tests", "--format", "json");
        for (var i = 0; i < 100 && !traces.Contains(traceId!, StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
            (_, traces, _) = await _app.CliAsync("traces", "list", "--env", "staging", "--key", "sdk-tests", "--format", "json");
        }

        Assert.Contains(traceId!, traces, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiSdk_WithAnotherKey_401ClientResultException()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => OpenAi("sk-not-a-gateway-key").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, ex.Status);
    }

    [Fact]
    public async Task AnthropicSdk_WithTheGatewayKeyAsApiKey_Answers()
    {
        var client = new AnthropicClient(new ClientOptions { ApiKey = _key, BaseUrl = _app.Url, MaxRetries = 0 }).AsIChatClient("support-agent", 400);

        var response = await client.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "Can I return shoes after 45 days?")]);

        Assert.Contains("30-day refund window", response.Text, StringComparison.Ordinal);
    }
}
