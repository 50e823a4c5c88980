using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Caching;

/// <summary>Token steps shared by the cached-answer readers; a token of the wrong kind is a <see cref="JsonException"/>, as with the serializer.</summary>
internal static class CachedJsonTokens
{
    /// <summary>The next property's name (true) or the object's end (false).</summary>
    internal static bool Next(ref Utf8JsonReader reader)
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

    internal static bool Read(ref Utf8JsonReader reader, JsonTokenType type) => reader.Read() && reader.TokenType == type;

    internal static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string, found {reader.TokenType}"),
        };
    }

    internal static long? ReadNumber(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.Number => reader.GetInt64(),
            _ => throw new JsonException($"expected a number, found {reader.TokenType}"),
        };
    }

    internal static DateTimeOffset? ReadTime(ref Utf8JsonReader reader)
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
    internal static bool ReadProperties(ref Utf8JsonReader reader, out AdditionalPropertiesDictionary? properties)
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
