#pragma warning disable MEAI001 // the experimental audio and text token counts are stored like the others
using System.Buffers;
using System.Text;
using System.Text.Json;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Caching;

/// <summary>
/// A cached answer's JSON, written and read by hand for the answers models give (text, tool calls, usage, finish
/// reason, ids, times, extra properties of plain JSON values) in the serializer's own format
/// (<c>JsonSerializer</c> with <c>AIJsonUtilities.DefaultOptions</c>, without indentation); <see cref="CachedResponseReader"/> reads it.
/// </summary>
/// <remarks>
/// The serializer's first use of the answer's types costs a process ~0.15–0.2 s of CPU to build their metadata: most
/// of the start-up of a short eval run or gate, and paid again by every process. An answer with anything else (other
/// content kinds, annotations, a continuation token, an extra property of another type) is left to the serializer,
/// on writing (<see cref="TryWrite"/> returns null) and on reading (<see cref="CachedResponseReader.TryRead"/> returns null for JSON with a
/// property or content kind it does not know), so every entry the serializer wrote before stays readable, and the
/// serializer reads every entry written here (CachedResponseJsonTests).
/// </remarks>
internal static class CachedResponseWriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = AIJsonUtilities.DefaultOptions.Encoder };

    /// <summary>The answer's JSON, or null when it has a part only the serializer writes.</summary>
    public static string? TryWrite(ChatResponse response)
    {
        if (response.ContinuationToken is not null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartArray("messages");
            foreach (var message in response.Messages)
            {
                if (!TryWriteMessage(w, message))
                {
                    return null;
                }
            }

            w.WriteEndArray();
            OptionalString(w, "responseId", response.ResponseId);
            OptionalString(w, "conversationId", response.ConversationId);
            OptionalString(w, "modelId", response.ModelId);
            OptionalTime(w, "createdAt", response.CreatedAt);
            OptionalString(w, "finishReason", response.FinishReason?.Value);
            if (response.Usage is { } usage)
            {
                w.WriteStartObject("usage");
                OptionalNumber(w, "inputTokenCount", usage.InputTokenCount);
                OptionalNumber(w, "outputTokenCount", usage.OutputTokenCount);
                OptionalNumber(w, "totalTokenCount", usage.TotalTokenCount);
                OptionalNumber(w, "cachedInputTokenCount", usage.CachedInputTokenCount);
                OptionalNumber(w, "reasoningTokenCount", usage.ReasoningTokenCount);
                OptionalNumber(w, "inputAudioTokenCount", usage.InputAudioTokenCount);
                OptionalNumber(w, "inputTextTokenCount", usage.InputTextTokenCount);
                OptionalNumber(w, "outputAudioTokenCount", usage.OutputAudioTokenCount);
                OptionalNumber(w, "outputTextTokenCount", usage.OutputTextTokenCount);
                if (usage.AdditionalCounts is { } counts)
                {
                    w.WriteStartObject("additionalCounts");
                    foreach (var (name, count) in counts)
                    {
                        w.WriteNumber(name, count);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            if (!TryWriteProperties(w, response.AdditionalProperties))
            {
                return null;
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool TryWriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        OptionalString(w, "authorName", message.AuthorName);
        OptionalTime(w, "createdAt", message.CreatedAt);
        w.WriteString("role", message.Role.Value);
        w.WriteStartArray("contents");
        foreach (var content in message.Contents)
        {
            if (content.Annotations is not null)
            {
                return false;
            }

            w.WriteStartObject();
            if (content.GetType() == typeof(TextContent))
            {
                w.WriteString("$type", "text");
                w.WriteString("text", ((TextContent)content).Text);
            }
            else if (content.GetType() == typeof(FunctionCallContent))
            {
                var call = (FunctionCallContent)content;
                w.WriteString("$type", "functionCall");
                w.WriteString("name", call.Name);
                if (call.Arguments is { } arguments)
                {
                    w.WritePropertyName("arguments");
                    if (!ToolArguments.TryWriteValue(w, arguments))
                    {
                        return false;
                    }
                }

                w.WriteBoolean("informationalOnly", call.InformationalOnly);
                w.WriteString("callId", call.CallId);
            }
            else
            {
                return false;
            }

            if (!TryWriteProperties(w, content.AdditionalProperties))
            {
                return false;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        OptionalString(w, "messageId", message.MessageId);
        if (!TryWriteProperties(w, message.AdditionalProperties))
        {
            return false;
        }

        w.WriteEndObject();
        return true;
    }

    private static bool TryWriteProperties(Utf8JsonWriter w, AdditionalPropertiesDictionary? properties)
    {
        if (properties is null)
        {
            return true;
        }

        w.WriteStartObject("additionalProperties");
        foreach (var (name, value) in properties)
        {
            w.WritePropertyName(name);
            if (!ToolArguments.TryWriteValue(w, value))
            {
                return false;
            }
        }

        w.WriteEndObject();
        return true;
    }

    private static void OptionalString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void OptionalTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
    }

    private static void OptionalNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}
