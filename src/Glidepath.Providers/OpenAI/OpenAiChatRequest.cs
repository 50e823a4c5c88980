using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// Writes a chat completions request body in one pass with a <see cref="Utf8JsonWriter"/>, as the OpenAI SDK behind
/// Microsoft.Extensions.AI writes it (the same fields and values: <c>OpenAiWireChatClientTests</c> compares the two).
/// Anything this writer does not know (images, response formats, raw options) makes it decline, and the caller sends
/// through the SDK instead: it never drops what was asked.
/// </summary>
internal static class OpenAiChatRequest
{
    private static readonly ConditionalWeakTable<AIFunctionDeclaration, byte[]> ToolJson = [];

    /// <summary>Non-ASCII text and quotes as they are, as the SDK writes them (the JSON means the same either way).</summary>
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether this writer can send <paramref name="messages"/> with <paramref name="options"/> exactly as the SDK would.</summary>
    public static bool CanWrite(IList<ChatMessage> messages, ChatOptions? options)
    {
        if (options is not null && (options.ResponseFormat is not null || options.RawRepresentationFactory is not null || options.Instructions is not null
            || options.ConversationId is not null || options.AdditionalProperties is { Count: > 0 } || options.ContinuationToken is not null
            || options.Reasoning is not null || options.AllowBackgroundResponses is not null))
        {
            return false;
        }

        foreach (var tool in options?.Tools ?? [])
        {
            if (tool is not AIFunctionDeclaration declaration || tool.AdditionalProperties.Count > 0 || ToolJson.GetValue(declaration, Tool).Length == 0)
            {
                return false;
            }
        }

        foreach (var message in messages)
        {
            var role = message.Role;
            foreach (var content in message.Contents)
            {
                var known = content switch
                {
                    TextContent => role == ChatRole.System || role == ChatRole.User || role == ChatRole.Assistant,
                    FunctionCallContent => role == ChatRole.Assistant,
                    FunctionResultContent => role == ChatRole.Tool,
                    _ => false,
                };
                if (!known)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Writes the body; call only when <see cref="CanWrite"/> said yes.</summary>
    public static void Write(IList<ChatMessage> messages, ChatOptions? options, string defaultModel, IBufferWriter<byte> output)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteStartArray("messages");
        foreach (var message in messages)
        {
            WriteMessage(w, message);
        }

        w.WriteEndArray();
        w.WriteString("model", options?.ModelId ?? defaultModel);
        if (options is not null)
        {
            WriteOptions(w, options);
        }

        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            // One tool message per result, as the SDK sends them.
            foreach (var content in message.Contents)
            {
                var result = (FunctionResultContent)content;
                w.WriteStartObject();
                w.WriteString("role", "tool");
                w.WriteString("content", result.Result as string ?? (result.Result is null ? "" : JsonSerializer.Serialize(result.Result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)))));
                w.WriteString("tool_call_id", result.CallId);
                w.WriteEndObject();
            }

            return;
        }

        w.WriteStartObject();
        w.WriteString("role", message.Role == ChatRole.System ? "system" : message.Role == ChatRole.User ? "user" : "assistant");
        var texts = 0;
        TextContent? only = null;
        foreach (var content in message.Contents)
        {
            if (content is TextContent text)
            {
                texts++;
                only = text;
            }
        }

        // One text is a plain string, several are text parts; an assistant turn of tool calls alone has no content.
        if (texts == 1)
        {
            w.WriteString("content", only!.Text);
        }
        else if (texts > 1 || message.Role != ChatRole.Assistant)
        {
            w.WriteStartArray("content");
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", text.Text);
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        }

        if (message.AuthorName is { } name)
        {
            w.WriteString("name", name);
        }

        WriteToolCalls(w, message);
        w.WriteEndObject();
    }

    private static void WriteToolCalls(Utf8JsonWriter w, ChatMessage message)
    {
        var started = false;
        foreach (var content in message.Contents)
        {
            if (content is not FunctionCallContent call)
            {
                continue;
            }

            if (!started)
            {
                w.WriteStartArray("tool_calls");
                started = true;
            }

            w.WriteStartObject();
            w.WriteString("id", call.CallId);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WriteString("arguments", JsonSerializer.SerializeToUtf8Bytes(call.Arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>))));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (started)
        {
            w.WriteEndArray();
        }
    }

    private static void WriteOptions(Utf8JsonWriter w, ChatOptions options)
    {
        OptionalJson.Number(w, "frequency_penalty", options.FrequencyPenalty);
        OptionalJson.Number(w, "max_completion_tokens", options.MaxOutputTokens);
        OptionalJson.Number(w, "presence_penalty", options.PresencePenalty);
        OptionalJson.Number(w, "seed", options.Seed);
        if (options.StopSequences is { Count: > 0 } stop)
        {
            w.WriteStartArray("stop");
            foreach (var s in stop)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
        }

        OptionalJson.Number(w, "temperature", options.Temperature);
        OptionalJson.Number(w, "top_p", options.TopP);
        if (options.Tools is { Count: > 0 } tools)
        {
            w.WriteStartArray("tools");
            foreach (var tool in tools)
            {
                w.WriteRawValue(ToolJson.GetValue((AIFunctionDeclaration)tool, Tool), skipInputValidation: true);
            }

            w.WriteEndArray();
            WriteToolChoice(w, options.ToolMode ?? ChatToolMode.Auto);
            if (options.AllowMultipleToolCalls is { } parallel)
            {
                w.WriteBoolean("parallel_tool_calls", parallel);
            }
        }
    }

    private static void WriteToolChoice(Utf8JsonWriter w, ChatToolMode? mode)
    {
        switch (mode)
        {
            case NoneChatToolMode:
                w.WriteString("tool_choice", "none");
                break;
            case AutoChatToolMode:
                w.WriteString("tool_choice", "auto");
                break;
            case RequiredChatToolMode { RequiredFunctionName: { } function }:
                w.WriteStartObject("tool_choice");
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", function);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case RequiredChatToolMode:
                w.WriteString("tool_choice", "required");
                break;
        }
    }

    /// <summary>
    /// A tool as the SDK's client sends it: its schema mapped through that client's intermediate shape (<c>type</c>,
    /// <c>required</c>, <c>properties</c>, <c>additionalProperties</c> false unless set, then the rest); empty when the
    /// schema does not fit that shape, so the SDK path sends (or rejects) it.
    /// </summary>
    private static byte[] Tool(AIFunctionDeclaration tool)
    {
        var schema = tool.JsonSchema;
        if (schema.ValueKind != JsonValueKind.Object
            || Property(schema, "type") is { ValueKind: not JsonValueKind.String }
            || Property(schema, "required") is { ValueKind: not JsonValueKind.Array } required && required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String)
            || Property(schema, "properties") is { ValueKind: not JsonValueKind.Object }
            || Property(schema, "additionalProperties") is { ValueKind: not (JsonValueKind.True or JsonValueKind.False) })
        {
            return [];
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", tool.Name);
            w.WriteString("description", tool.Description);
            w.WriteStartObject("parameters");
            w.WriteString("type", Property(schema, "type")?.GetString() ?? "object");
            WriteOrEmpty(w, "required", Property(schema, "required"), JsonValueKind.Array);
            WriteOrEmpty(w, "properties", Property(schema, "properties"), JsonValueKind.Object);
            w.WriteBoolean("additionalProperties", Property(schema, "additionalProperties")?.GetBoolean() ?? false);
            foreach (var property in schema.EnumerateObject())
            {
                if (property.Name is not ("type" or "required" or "properties" or "additionalProperties"))
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the schema's value, or an empty array or object when the schema has none.</summary>
    private static void WriteOrEmpty(Utf8JsonWriter w, string name, JsonElement? value, JsonValueKind kind)
    {
        w.WritePropertyName(name);
        if (value is { } v)
        {
            v.WriteTo(w);
        }
        else if (kind == JsonValueKind.Array)
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    private static JsonElement? Property(JsonElement schema, string name) => schema.TryGetProperty(name, out var value) ? value : null;
}
