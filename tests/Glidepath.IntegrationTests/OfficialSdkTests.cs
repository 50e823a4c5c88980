using System.ClientModel;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AiChatRole = Microsoft.Extensions.AI.ChatRole;

namespace Glidepath.IntegrationTests;

/// <summary>The official OpenAI and Anthropic .NET SDKs against the gateway, unchanged except for the base URL; upstream = the sim.</summary>
public sealed class OfficialSdkTests : IAsyncLifetime
{
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await SampleApp.CreateAsync();
        _app.ShowRoutingHeaders();
        await _app.StartGatewayAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private ChatClient OpenAi() =>
        new("support-agent", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_app.Url + "/v1") });

    private IChatClient Anthropic() =>
        new AnthropicClient(new ClientOptions { ApiKey = "unused", BaseUrl = _app.Url, MaxRetries = 0 }).AsIChatClient("support-agent", 400);

    [Fact]
    public async Task OpenAiSdk_Chat_AnswersFromTheReleasePromptWithReleaseHeader()
    {
        ClientResult<ChatCompletion> result = await OpenAi().CompleteChatAsync([new UserChatMessage("Can I return shoes after 45 days?")]);

        Assert.Contains("30-day refund window", result.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("Glidepath-Release", out var release));
        Assert.Equal(await _app.ReleaseLabelAsync(1), release);
    }

    [Fact]
    public async Task OpenAiSdk_ListModels_NamesTheApp()
    {
        var client = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_app.Url + "/v1") });

        ClientResult<OpenAI.Models.OpenAIModelCollection> models = await client.GetModelsAsync();

        Assert.Contains(models.Value, m => m.Id == "support-agent");
        Assert.Contains(models.Value, m => m.Id == "support-agent@staging");
    }

    // Some OpenAI clients retrieve the model they were configured with before the first call (it was a 404).
    [Fact]
    public async Task OpenAiSdk_RetrieveModel_TheAppIsThere_AnotherNameIsA404NamingIt()
    {
        var client = new OpenAI.Models.OpenAIModelClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(_app.Url + "/v1") });

        ClientResult<OpenAI.Models.OpenAIModel> model = await client.GetModelAsync("support-agent@staging");
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("gpt-4o"));

        Assert.Equal("support-agent@staging", model.Value.Id);
        Assert.Equal("glidepath", model.Value.OwnedBy);
        Assert.Equal(404, missing.Status);
        Assert.Contains("no model 'gpt-4o': this gateway answers to \"support-agent\"", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiSdk_Streaming_ConcatenatesToTheAnswer()
    {
        var text = new System.Text.StringBuilder();
        OpenAI.Chat.ChatFinishReason? finish = null;
        await foreach (var update in OpenAi().CompleteChatStreamingAsync([new UserChatMessage("How long does standard shipping take?")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Contains("3 to 5 business days", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task OpenAiSdk_ToolCall_ReturnsTheReleaseToolCall()
    {
        ChatCompletion completion = await OpenAi().CompleteChatAsync([new UserChatMessage("Where is my order NW-48213?")]);

        Assert.Equal(OpenAI.Chat.ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("lookup_order", call.FunctionName);
        Assert.Contains("NW-48213", call.FunctionArguments.ToString(), StringComparison.Ordinal);

        // Second turn: the tool result goes back and the model answers in words.
        ChatCompletion answer = await OpenAi().CompleteChatAsync([
            new UserChatMessage("Where is my order NW-48213?"),
            new AssistantChatMessage(completion.ToolCalls),
            new ToolChatMessage(call.Id, "Order NW-48213 shipped on Monday and arrives Thursday."),
        ]);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, answer.FinishReason);
        Assert.False(string.IsNullOrWhiteSpace(answer.Content[0].Text));
    }

    [Fact]
    public async Task AnthropicSdk_Chat_AnswersFromTheReleasePrompt()
    {
        var response = await Anthropic().GetResponseAsync([new AiChatMessage(AiChatRole.User, "Can I return shoes after 45 days?")]);

        Assert.Contains("30-day refund window", response.Text, StringComparison.Ordinal);
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage?.OutputTokenCount > 0);
    }

    [Fact]
    public async Task AnthropicSdk_Streaming_ConcatenatesToTheAnswer()
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in Anthropic().GetStreamingResponseAsync([new AiChatMessage(AiChatRole.User, "How long does standard shipping take?")]))
        {
            text.Append(update.Text);
        }

        Assert.Contains("3 to 5 business days", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicSdk_ToolCall_ReturnsToolUse()
    {
        var response = await Anthropic().GetResponseAsync([new AiChatMessage(AiChatRole.User, "Where is my order NW-48213?")]);

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("lookup_order", call.Name);
        Assert.Equal(Microsoft.Extensions.AI.ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task AnthropicSdk_StreamingToolCall_ReturnsToolUse()
    {
        var calls = new List<FunctionCallContent>();
        await foreach (var update in Anthropic().GetStreamingResponseAsync([new AiChatMessage(AiChatRole.User, "Where is my order NW-48213?")]))
        {
            calls.AddRange(update.Contents.OfType<FunctionCallContent>());
        }

        Assert.Equal("lookup_order", Assert.Single(calls).Name);
        Assert.Contains("NW-48213", Assert.Single(calls).Arguments!.Values.Select(v => v?.ToString()), StringComparer.Ordinal);
    }
}
