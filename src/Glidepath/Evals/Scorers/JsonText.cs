using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Evals.Scorers;

/// <summary>Finds JSON in a model's answer: the whole text (optionally inside a ```json fence), or the first JSON value embedded in it.</summary>
internal static class JsonText
{
    public static JsonNode? ParseWhole(string text)
    {
        var t = StripFence(text.Trim());
        try
        {
            return t.Length == 0 ? null : JsonNode.Parse(t) ?? JsonValue.Create((string?)null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first <c>{…}</c> or <c>[…]</c> in the text that parses as JSON.</summary>
    public static JsonNode? FindEmbedded(string text)
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
                try
                {
                    return JsonNode.Parse(text.AsSpan(i, j - i + 1).ToString());
                }
                catch (JsonException)
                {
                }
            }
        }

        return null;
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
