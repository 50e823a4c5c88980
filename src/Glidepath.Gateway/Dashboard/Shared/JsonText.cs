using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Glidepath.Gateway.Dashboard.Shared;

/// <summary>
/// Captured JSON indented for reading: strings escape only what JSON requires (quote, backslash, control characters),
/// so an emoji shows as 🚀, not as <c>\uD83D\uDE80</c> (the relaxed encoder still escapes every character outside the
/// basic plane). Safe only for text Razor HTML-encodes when it renders it, as the trace page does.
/// </summary>
internal static class JsonText
{
    /// <summary><paramref name="json"/> indented by two spaces, or as it came when it is not JSON.</summary>
    public static string Indented(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var text = new StringBuilder(json.Length + 64);
            Write(text, doc.RootElement, 0);
            return text.ToString();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Write(StringBuilder text, JsonElement e, int depth)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                Container(text, e.EnumerateObject().Select(p => ((string?)p.Name, p.Value)), depth, '{', '}');
                break;
            case JsonValueKind.Array:
                Container(text, e.EnumerateArray().Select(v => ((string?)null, v)), depth, '[', ']');
                break;
            case JsonValueKind.String:
                String(text, e);
                break;
            default:
                text.Append(e.GetRawText());
                break;
        }
    }

    private static void Container(StringBuilder text, IEnumerable<(string? Name, JsonElement Value)> items, int depth, char open, char close)
    {
        text.Append(open);
        var any = false;
        foreach (var (name, value) in items)
        {
            text.Append(any ? ",\n" : "\n").Append(' ', (depth + 1) * 2);
            if (name is not null)
            {
                Quoted(text, name);
                text.Append(": ");
            }

            Write(text, value, depth + 1);
            any = true;
        }

        if (any)
        {
            text.Append('\n').Append(' ', depth * 2);
        }

        text.Append(close);
    }

    private static void String(StringBuilder text, JsonElement e)
    {
        string value;
        try
        {
            value = e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Half a surrogate pair cannot be a .NET string read back; show it escaped, as it was stored.
            text.Append(e.GetRawText());
            return;
        }

        Quoted(text, value);
    }

    private static void Quoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' => text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        text.Append('"');
    }
}
