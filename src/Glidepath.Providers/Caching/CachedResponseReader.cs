#pragma warning disable MEAI001 // the experimental audio and text token counts are read like the others
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Glidepath.Providers.Caching.CachedJsonTokens;

namespace Glidepath.Providers.Caching;

/// <summary>
/// Reads a cached answer written by <see cref="CachedResponseWriter"/> or by the serializer (<c>JsonSerializer</c> with
/// <c>AIJsonUtilities.DefaultOptions</c>, indented or not) without the serializer's metadata, for the parts the writer
/// writes; for JSON with any other property or content kind it returns null and the caller uses the serializer.
/// </summary>
internal static class CachedResponseReader
{
    /// <summary>The answer in <paramref name="json"/>, or null when the JSON has a part only the serializer reads.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static ChatResponse? TryRead(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var response = new ChatResponse();
        while (Next(ref reader))
        {
            if (reader.ValueTextEquals("messages"u8))
            {
                if (!Read(ref reader, JsonTokenType.StartArray))
                {
                    return null;
                }

                response.Messages.Clear(); // a repeated key: the last one wins, as with the serializer
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadMessage(ref reader) is not { } message)
                    {
                        return null;
                    }

                    response.Messages.Add(message);
                }
            }
            else if (reader.ValueTextEquals("responseId"u8))
            {
                response.ResponseId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("conversationId"u8))
            {
                response.ConversationId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("modelId"u8))
            {
                response.ModelId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                response.CreatedAt = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("finishReason"u8))
            {
                response.FinishReason = ReadString(ref reader) is { } reason ? new ChatFinishReason(reason) : null;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject || CachedAnswerParts.ReadUsage(ref reader) is not { } usage)
                {
                    return null;
                }

                response.Usage = usage;
            }
            else if (reader.ValueTextEquals("additionalProperties"u8))
            {
                if (!ReadProperties(ref reader, out var properties))
                {
                    return null;
                }

                response.AdditionalProperties = properties;
            }
            else
            {
                return null;
            }
        }

        return response;
    }

    private static ChatMessage? ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var message = new ChatMessage();
        while (Next(ref reader))
        {
            if (reader.ValueTextEquals("authorName"u8))
            {
                message.AuthorName = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                message.CreatedAt = ReadTime(ref reader);
            }
            else if (reader.ValueTextEquals("role"u8))
            {
                if (ReadString(ref reader) is not { } role)
                {
                    return null;
                }

                message.Role = new ChatRole(role);
            }
            else if (reader.ValueTextEquals("messageId"u8))
            {
                message.MessageId = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("contents"u8))
            {
                if (!Read(ref reader, JsonTokenType.StartArray))
                {
                    return null;
                }

                message.Contents.Clear(); // a repeated key: the last one wins, as with the serializer
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (CachedAnswerParts.ReadContent(ref reader) is not { } content)
                    {
                        return null;
                    }

                    message.Contents.Add(content);
                }
            }
            else if (reader.ValueTextEquals("additionalProperties"u8))
            {
                if (!ReadProperties(ref reader, out var properties))
                {
                    return null;
                }

                message.AdditionalProperties = properties;
            }
            else
            {
                return null;
            }
        }

        return message;
    }
}
