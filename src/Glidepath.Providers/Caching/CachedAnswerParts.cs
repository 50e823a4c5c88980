#pragma warning disable MEAI001 // the experimental audio and text token counts are read like the others
using System.Text.Json;
using Microsoft.Extensions.AI;
using static Glidepath.Providers.Caching.CachedJsonTokens;

namespace Glidepath.Providers.Caching;

/// <summary>The parts of a cached answer <see cref="CachedResponseReader"/> reads: a content (text or tool call) and the usage.</summary>
internal static class CachedAnswerParts
{
    /// <summary>A text or tool-call content whose <c>$type</c> comes first, as the serializer writes it; null for anything else.</summary>
    internal static AIContent? ReadContent(ref Utf8JsonReader reader)
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

    internal static UsageDetails? ReadUsage(ref Utf8JsonReader reader)
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
}
