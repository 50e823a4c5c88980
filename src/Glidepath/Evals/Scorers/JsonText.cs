using System.Text.Json;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Finds JSON in a model's answer: the whole text (optionally inside a ```json fence), or the first JSON value embedded in
/// it. Read as a <see cref="JsonElement"/>, which keeps a key given twice in one object as it was written: a
/// <c>JsonObject</c> threw <c>ArgumentException</c> on the first look at such an object (trial gatejudge2 LOW 1).
/// </summary>
internal static class JsonText
{
    public static JsonElement? ParseWhole(string text)
    {
        var t = StripFence(text.Trim());
        return t.Length == 0 ? null : TryParse(t);
    }

    /// <summary>The first <c>{…}</c> or <c>[…]</c> in the text that parses as JSON.</summary>
    public static JsonElement? FindEmbedded(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is not ('{' or '['))
            {
                continue;
            }

            var close = text[i] == '{' ? '}' : ']';
            for (var j = text.LastIndexOf(close); j > i; j = text.LastIndexOf(close, j - 1))
            {
                if (TryParse(text.Substring(i, j - i + 1)) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The first key given twice in one object anywhere in <paramref name="json"/>, or null: such a document reads one way
    /// to one reader and another way to the next (the first copy, the last, or an exception), so what it says is not known.
    /// </summary>
    public static string? RepeatedKey(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in json.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        return property.Name;
                    }

                    if (RepeatedKey(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in json.EnumerateArray())
                {
                    if (RepeatedKey(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonElement? TryParse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string StripFence(string t)
    {
        if (!t.StartsWith("```", StringComparison.Ordinal))
        {
            return t;
        }

        var firstNewline = t.IndexOf('\n', StringComparison.Ordinal);
        var end = t.LastIndexOf("```", StringComparison.Ordinal);
        return firstNewline > 0 && end > firstNewline ? t[(firstNewline + 1)..end].Trim() : t;
    }
}
