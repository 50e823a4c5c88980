using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Anthropic;

/// <summary>
/// Sends each tool's schema to the Messages API as written. The SDK's chat client rewrites a function's schema for
/// Anthropic's structured outputs: it closes every object (<c>"additionalProperties": false</c>, so
/// <c>{"type": "object"}</c> reaches the model as an object that may have no property at all) and moves keywords it
/// deems unsupported into the description, while the same tool passes through the gateway as written. Each function
/// declaration is handed to it as the Messages API tool it stands for (name, description, <c>input_schema</c> as written),
/// which the SDK sends unchanged; a tool with options of its own (strict mode, deferred loading) goes as it is, for the
/// SDK to prepare.
/// </summary>
internal sealed class AnthropicToolSchemaChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <summary>Each tool's raw form (itself when it has none), made once: a release's tools are the same instances on every call.</summary>
    private static readonly ConditionalWeakTable<AITool, AITool> Raw = [];

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, AsWritten(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, AsWritten(options), cancellationToken);

    /// <summary>The options unchanged when no tool needs its raw form; otherwise a copy with them (the caller's are never changed).</summary>
    internal static ChatOptions? AsWritten(ChatOptions? options) => ToolRewrite.Apply(options, Raw, ToRaw);

    private static AITool ToRaw(AITool tool)
    {
        if (tool is not AIFunctionDeclaration declaration || tool.AdditionalProperties.Count > 0)
        {
            return tool;
        }

        var body = new Dictionary<string, JsonElement>(3, StringComparer.Ordinal)
        {
            ["name"] = JsonSerializer.SerializeToElement(declaration.Name),
            ["input_schema"] = declaration.JsonSchema,
        };
        if (!string.IsNullOrEmpty(declaration.Description))
        {
            body["description"] = JsonSerializer.SerializeToElement(declaration.Description);
        }

        return ((ToolUnion)Tool.FromRawUnchecked(body)).AsAITool();
    }
}
