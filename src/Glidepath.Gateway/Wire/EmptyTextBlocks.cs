using System.Text.Json;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// Anthropic refuses a text block with no text (<c>{"type": "text", "text": ""}</c>), in <c>system</c> as in a message, and
/// a message whose content is <c>""</c>: the pass-through patch leaves them out (and a message left with no content by
/// it), as the translating path does, when the parser found one (<c>ChatRequest.HasEmptyText</c>, a rare shape), so a
/// request the caller could have sent is not a provider's 400 charged to the release.
/// </summary>
internal static class EmptyTextBlocks
{
    /// <summary>Anthropic's messages without their empty text blocks; a message whose content is <c>""</c>, or has nothing else, is left out.</summary>
    public static void WriteMessages(Utf8JsonWriter w, ReadOnlySpan<byte> messages)
    {
        w.WriteStartArray("messages");
        var reader = new Utf8JsonReader(messages);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var message = messages[start..(int)reader.BytesConsumed];
            var content = Property(message, "content"u8);
            if (content.SequenceEqual("\"\""u8) || !content.IsEmpty && content[0] == (byte)'[' && HasOnlyEmptyText(content))
            {
                continue; // nothing left to send
            }

            if (!content.IsEmpty && content[0] == (byte)'[')
            {
                WriteMessage(w, message);
            }
            else
            {
                w.WriteRawValue(message, skipInputValidation: true);
            }
        }

        w.WriteEndArray();
    }

    /// <summary>One message object, its <c>content</c> array without empty text blocks, every other key copied.</summary>
    private static void WriteMessage(Utf8JsonWriter w, ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        w.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            var name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = message[start..(int)reader.BytesConsumed];
            w.WritePropertyName(name);
            if (isContent && value[0] == (byte)'[')
            {
                w.WriteStartArray();
                CopyElements(value, w);
                w.WriteEndArray();
            }
            else
            {
                w.WriteRawValue(value, skipInputValidation: true);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Copies an array's elements but its empty text blocks.</summary>
    public static void CopyElements(ReadOnlySpan<byte> array, Utf8JsonWriter w)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var element = array[start..(int)reader.BytesConsumed];
            if (!IsEmpty(element))
            {
                w.WriteRawValue(element, skipInputValidation: true);
            }
        }
    }

    /// <summary>The raw value of an object's top-level key, or empty.</summary>
    private static ReadOnlySpan<byte> Property(ReadOnlySpan<byte> json, ReadOnlySpan<byte> key)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var found = reader.ValueTextEquals(key);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (found)
            {
                return json[start..(int)reader.BytesConsumed];
            }
        }

        return default;
    }

    private static bool HasOnlyEmptyText(ReadOnlySpan<byte> array)
    {
        var reader = new Utf8JsonReader(array);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (!IsEmpty(array[start..(int)reader.BytesConsumed]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An Anthropic text block with no text (<c>""</c>, null or none), which Anthropic refuses.</summary>
    public static bool IsEmpty(ReadOnlySpan<byte> block)
    {
        var reader = new Utf8JsonReader(block);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool isText = false, hasText = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("type"u8) ? 1 : reader.ValueTextEquals("text"u8) ? 2 : 0;
            reader.Read();
            if (name == 1)
            {
                isText = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("text"u8);
            }
            else if (name == 2)
            {
                hasText = reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty;
            }

            reader.Skip();
        }

        return isText && !hasText;
    }
}
