#pragma warning disable MEAI001 // the experimental audio and text token counts are read like the others
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

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

                if (reader.TokenType != JsonTokenType.StartObject || ReadUsage(ref reader) is not { } usage)
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

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadContent(ref reader) is not { } content)
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

    /// <summary>A text or tool-call content whose <c>$type</c> comes first, as the serializer writes it; null for anything else.</summary>
    private static AIContent? ReadContent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject || !Next(ref reader) || !reader.ValueTextEquals("$type"u8))
        {
            return null;
        }

        var kind = ReadString(ref reader);
        string? text = null, name = null, callId = null;
        var informationalOnly = false;
        IDictionary<string, object?>? arguments = null;
        AdditionalPropertiesDictionary? properties = null;
        while (Next(ref reader))
        {
            if (kind == "text" && reader.ValueTextEquals("text"u8))
            {
                text = ReadString(ref reader);
            }
            else if (kind == "functionCall" && reader.ValueTextEquals("name"u8))
            {
                name = ReadString(ref reader);
            }
            else if (kind == "functionCall" && reader.ValueTextEquals("callId"u8))
            {
                callId = ReadString(ref reader);
            }
            else if (kind == "functionCall" && reader.ValueTextEquals("informationalOnly"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return null;
                }

                informationalOnly = reader.GetBoolean();
            }
            else if (kind == "functionCall" && reader.ValueTextEquals("arguments"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (Next(ref reader))
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    map[key] = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
                }

                arguments = map;
            }
            else if (reader.ValueTextEquals("additionalProperties"u8))
            {
                if (!ReadProperties(ref reader, out properties))
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }

        AIContent? content = kind switch
        {
            "text" => new TextContent(text),
            "functionCall" when name is not null && callId is not null => new FunctionCallContent(callId, name, arguments) { InformationalOnly = informationalOnly },
            _ => null,
        };
        if (content is not null)
        {
            content.AdditionalProperties = properties;
        }

        return content;
    }

    private static UsageDetails? ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = new UsageDetails();
        while (Next(ref reader))
        {
            if (reader.ValueTextEquals("additionalCounts"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                var counts = new AdditionalPropertiesDictionary<long>();
                while (Next(ref reader))
                {
                    var key = reader.GetString()!;
                    if (ReadNumber(ref reader) is not { } count)
                    {
                        return null;
                    }

                    counts[key] = count;
                }

                usage.AdditionalCounts = counts;
                continue;
            }

            if (reader.ValueTextEquals("inputTokenCount"u8))
            {
                usage.InputTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("outputTokenCount"u8))
            {
                usage.OutputTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("totalTokenCount"u8))
            {
                usage.TotalTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("cachedInputTokenCount"u8))
            {
                usage.CachedInputTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("reasoningTokenCount"u8))
            {
                usage.ReasoningTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("inputAudioTokenCount"u8))
            {
                usage.InputAudioTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("inputTextTokenCount"u8))
            {
                usage.InputTextTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("outputAudioTokenCount"u8))
            {
                usage.OutputAudioTokenCount = ReadNumber(ref reader);
            }
            else if (reader.ValueTextEquals("outputTextTokenCount"u8))
            {
                usage.OutputTextTokenCount = ReadNumber(ref reader);
            }
            else
            {
                return null;
            }
        }

        return usage;
    }

    /// <summary>The next property's name (true) or the object's end (false).</summary>
    private static bool Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the cached answer ends early");
        }

        return reader.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new JsonException($"unexpected {reader.TokenType} in a cached answer"),
        };
    }

    private static bool Read(ref Utf8JsonReader reader, JsonTokenType type) => reader.Read() && reader.TokenType == type;

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
        };
    }

    private static long? ReadNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.GetInt64(),
            _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
        };
    }

    private static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetDateTimeOffset(),
            _ => throw new JsonException($"expected a time, found {reader.TokenType}"),
        };
    }

    /// <summary>Extra properties as the serializer reads them: JSON values as <see cref="JsonElement"/>s, null as null.</summary>
    private static bool ReadProperties(ref Utf8JsonReader reader, out AdditionalPropertiesDictionary? properties)
    {
        properties = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        properties = [];
        while (Next(ref reader))
        {
            var key = reader.GetString()!;
            reader.Read();
            properties[key] = reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);
        }

        return true;
    }
}
