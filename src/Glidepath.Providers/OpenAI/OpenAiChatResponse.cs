using System.Text.Json;
using Glidepath.Models;
using Glidepath.Providers.Forwarding;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// Reads a whole chat completion with a <see cref="Utf8JsonReader"/> into the <see cref="ChatResponse"/> the OpenAI SDK
/// behind Microsoft.Extensions.AI makes of it: the first choice's text, tool calls (arguments parsed as that client parses
/// them), finish reason, usage, id, model and time. An answer without a choice is not an answer: it throws a
/// <see cref="JsonException"/>, which the resilience layer reports as a malformed response (never a pass).
/// </summary>
internal static class OpenAiChatResponse
{
    public static ChatResponse Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? id = null, model = null, text = null, finish = null;
        DateTimeOffset? created = null;
        UsageDetails? usage = null;
        List<AIContent>? calls = null;
        var sawChoice = false;
        Expect(ref reader, JsonTokenType.StartObject);
        while (NextProperty(ref reader))
        {
            if (String(ref reader, "id"u8, ref id) || String(ref reader, "model"u8, ref model))
            {
                continue;
            }

            if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                created = reader.TokenType == JsonTokenType.Number ? DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64()) : null;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                usage = reader.TokenType == JsonTokenType.StartObject ? ReadUsage(ref reader) : null;
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    if (sawChoice)
                    {
                        reader.Skip(); // the SDK's client reads the first choice only
                        continue;
                    }

                    sawChoice = true;
                    ReadChoice(ref reader, ref text, ref finish, ref calls);
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        if (!sawChoice)
        {
            throw new JsonException("the chat completion has no choices");
        }

        var contents = new List<AIContent>(1 + (calls?.Count ?? 0));
        if (text is not null)
        {
            contents.Add(new TextContent(text));
        }

        if (calls is not null)
        {
            contents.AddRange(calls);
        }

        var message = new ChatMessage(ChatRole.Assistant, contents) { MessageId = id, CreatedAt = created };
        return new ChatResponse(message)
        {
            ResponseId = id,
            ModelId = model,
            CreatedAt = created,
            FinishReason = finish is null ? null : OpenAiResponseTap.Finish(finish),
            Usage = usage,
        };
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ref string? text, ref string? finish, ref List<AIContent>? calls)
    {
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("finish_reason"u8))
            {
                finish = NextString(ref reader);
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                ReadMessage(ref reader, ref text, ref calls);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadMessage(ref Utf8JsonReader reader, ref string? text, ref List<AIContent>? calls)
    {
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("content"u8))
            {
                text = NextString(ref reader);
                continue;
            }

            if (!reader.ValueTextEquals("tool_calls"u8) || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip(); // a property's value, or a null list of tool calls
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                (calls ??= []).Add(ReadToolCall(ref reader));
            }
        }
    }

    private static FunctionCallContent ReadToolCall(ref Utf8JsonReader reader)
    {
        string? callId = null, name = null, arguments = null;
        while (NextProperty(ref reader))
        {
            if (String(ref reader, "id"u8, ref callId))
            {
                continue;
            }

            if (!reader.ValueTextEquals("function"u8))
            {
                SkipValue(ref reader);
                continue;
            }

            Expect(ref reader, JsonTokenType.StartObject);
            while (NextProperty(ref reader))
            {
                if (!String(ref reader, "name"u8, ref name) && !String(ref reader, "arguments"u8, ref arguments))
                {
                    SkipValue(ref reader);
                }
            }
        }

        return FunctionCallContent.CreateFromParsedArguments(arguments ?? "{}", callId ?? "", name ?? "",
            ToolArguments.Parse);
    }

    /// <summary>Usage as the SDK's client maps it: a details object present means all of its counts, absent ones as 0.</summary>
    private static UsageDetails ReadUsage(ref Utf8JsonReader reader)
    {
        var usage = new UsageDetails { AdditionalCounts = [] };
        while (NextProperty(ref reader))
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                usage.InputTokenCount = NextInt(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                usage.OutputTokenCount = NextInt(ref reader);
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                usage.TotalTokenCount = NextInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) && Details(ref reader) is { } input)
            {
                usage.CachedInputTokenCount = input.GetValueOrDefault("cached_tokens");
                usage.AdditionalCounts["InputTokenDetails.AudioTokenCount"] = input.GetValueOrDefault("audio_tokens");
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8) && Details(ref reader) is { } output)
            {
                usage.ReasoningTokenCount = output.GetValueOrDefault("reasoning_tokens");
                usage.AdditionalCounts["OutputTokenDetails.AudioTokenCount"] = output.GetValueOrDefault("audio_tokens");
                usage.AdditionalCounts["OutputTokenDetails.AcceptedPredictionTokenCount"] = output.GetValueOrDefault("accepted_prediction_tokens");
                usage.AdditionalCounts["OutputTokenDetails.RejectedPredictionTokenCount"] = output.GetValueOrDefault("rejected_prediction_tokens");
            }
            else
            {
                SkipValue(ref reader);
            }
        }

        return usage;
    }

    /// <summary>The numbers of a usage details object, or null when it is null.</summary>
    private static Dictionary<string, long>? Details(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var counts = new Dictionary<string, long>(4, StringComparer.Ordinal);
        while (NextProperty(ref reader))
        {
            var name = reader.GetString()!;
            if (NextInt(ref reader) is { } n)
            {
                counts[name] = n;
            }
            else
            {
                reader.Skip();
            }
        }

        return counts;
    }

    /// <summary>Moves to the next property name of the object being read; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.PropertyName;

    /// <summary>When the property just read is <paramref name="name"/>: reads its string (or null) into <paramref name="value"/>.</summary>
    private static bool String(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ref string? value)
    {
        if (!reader.ValueTextEquals(name))
        {
            return false;
        }

        value = NextString(ref reader);
        return true;
    }

    /// <summary>Skips the value of the property just read.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static string? NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"expected a string or null, found {reader.TokenType}"),
        };
    }

    private static long? NextInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token)
        {
            throw new JsonException($"expected {token}, found {reader.TokenType}");
        }
    }
}
