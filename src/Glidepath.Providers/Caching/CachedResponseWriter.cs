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
            OptionalJson.String(w, "responseId", response.ResponseId);
            OptionalJson.String(w, "conversationId", response.ConversationId);
            OptionalJson.String(w, "modelId", response.ModelId);
            OptionalJson.Time(w, "createdAt", response.CreatedAt);
            OptionalJson.String(w, "finishReason", response.FinishReason?.Value);
            if (response.Usage is { } usage)
            {
                w.WriteStartObject("usage");
                OptionalJson.Number(w, "inputTokenCount", usage.InputTokenCount);
                OptionalJson.Number(w, "outputTokenCount", usage.OutputTokenCount);
                OptionalJson.Number(w, "totalTokenCount", usage.TotalTokenCount);
                OptionalJson.Number(w, "cachedInputTokenCount", usage.CachedInputTokenCount);
                OptionalJson.Number(w, "reasoningTokenCount", usage.ReasoningTokenCount);
                OptionalJson.Number(w, "inputAudioTokenCount", usage.InputAudioTokenCount);
                OptionalJson.Number(w, "inputTextTokenCount", usage.InputTextTokenCount);
                OptionalJson.Number(w, "outputAudioTokenCount", usage.OutputAudioTokenCount);
                OptionalJson.Number(w, "outputTextTokenCount", usage.OutputTextTokenCount);
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
        OptionalJson.String(w, "authorName", message.AuthorName);
        OptionalJson.Time(w, "createdAt", message.CreatedAt);
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
        OptionalJson.String(w, "messageId", message.MessageId);
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
}
