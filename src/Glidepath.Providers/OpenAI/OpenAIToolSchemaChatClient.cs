using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// Keeps an open tool schema open on the way to an OpenAI-compatible provider. The SDK's chat client (and
/// <see cref="OpenAiChatRequest"/>, which writes what it writes) sends a function's parameters with
/// <c>"additionalProperties": false</c> when the schema does not say: <c>{"type": "object"}</c> would reach the model as
/// an object that may have no property at all, while the same tool reaches Anthropic as written. A top-level object
/// schema that leaves <c>additionalProperties</c> unset is sent with <c>"additionalProperties": true</c>, which is what
/// JSON Schema means by leaving it out; a schema that sets it, and a tool with options of its own (strict mode), go as they are.
/// </summary>
internal sealed class OpenAIToolSchemaChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    /// <summary>Each tool's opened declaration (itself when it needs none), made once: a release's tools are the same instances on every call.</summary>
    private static readonly ConditionalWeakTable<AITool, AITool> Opened = [];

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, Open(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, Open(options), cancellationToken);

    /// <summary>The options unchanged when no tool needs opening; otherwise a copy with the opened tools (the caller's are never changed).</summary>
    internal static ChatOptions? Open(ChatOptions? options) => ToolRewrite.Apply(options, Opened, Reopen);

    private static AITool Reopen(AITool tool)
    {
        if (tool is not AIFunctionDeclaration declaration || tool.AdditionalProperties.Count > 0)
        {
            return tool;
        }

        var schema = declaration.JsonSchema;
        if (schema.ValueKind != JsonValueKind.Object
            || schema.TryGetProperty("additionalProperties", out _)
            || schema.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("object")))
        {
            return tool;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var property in schema.EnumerateObject())
            {
                property.WriteTo(w);
            }

            w.WriteBoolean("additionalProperties", true);
            w.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return AIFunctionFactory.CreateDeclaration(declaration.Name, declaration.Description, doc.RootElement.Clone(), declaration.ReturnJsonSchema);
    }
}
