using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Anthropic;

/// <summary>
/// Carries a limit of one tool call per turn (<see cref="ChatOptions.AllowMultipleToolCalls"/> false, an OpenAI caller's
/// <c>parallel_tool_calls: false</c>) to the Messages API. Anthropic says it in <c>tool_choice.disable_parallel_tool_use</c>,
/// and the SDK's chat client writes that only with a tool choice: when the options have none, the limit is sent with
/// <c>auto</c>, the choice Anthropic makes when none is sent.
/// </summary>
internal sealed class AnthropicParallelToolsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithToolChoice(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithToolChoice(options), cancellationToken);

    /// <summary>The options unchanged unless they limit tool calls without a tool choice; then a copy choosing <c>auto</c>.</summary>
    internal static ChatOptions? WithToolChoice(ChatOptions? options)
    {
        if (options is not { AllowMultipleToolCalls: false, ToolMode: null, Tools.Count: > 0 })
        {
            return options;
        }

        var copy = options.Clone();
        copy.ToolMode = ChatToolMode.Auto;
        return copy;
    }
}
