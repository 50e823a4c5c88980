using System.Text.Json;
using System.Text.RegularExpressions;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Says an admin API error in the caller's terms: the body's fields rather than the CLI flags the shared services name
/// (<c>--rpm is -5</c> → <c>'rpm' is -5</c>), and a JSON body of the wrong shape as which field must be what
/// (<c>'reason' must be a string, got a number</c>) instead of .NET's type names.
/// </summary>
internal static partial class AdminWording
{
    // The CLI flags that are body fields of an admin request; a flag inside a suggested command ("glidepath … --env E")
    // or inside quotes (a reason someone wrote) is not one of them and stays as it is.
    private static readonly (Regex Flag, string Field)[] Fields =
    [
        .. new[]
        {
            ("--budget-usd-per-day", "budget_usd_per_day"),
            ("--expect-revision", "expected_revision"),
            ("--max-cost-usd", "max_cost_usd"),
            ("--max-duration", "max_duration"),
            ("--max-requests", "max_requests"),
            ("--min-requests", "min_requests"),
            ("--require-shadow", "require_shadow"),
            ("--force", "force"),
            ("--steps", "steps"),
            ("--rate", "rate"),
            ("--rpm", "rpm"),
            ("--to", "to"),
        }.Select(f => (new Regex($@"(?<![\w-]){Regex.Escape(f.Item1)}(?![\w-])", RegexOptions.CultureInvariant), f.Item2)),
    ];

    /// <summary>A service's message with the body's field names in place of the CLI's flags.</summary>
    public static string InBodyTerms(string message)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Odd parts are suggested commands ("glidepath rollout status --env E"), kept as they are.
        var parts = Command().Split(message);
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = Prose(parts[i]);
        }

        return string.Concat(parts);
    }

    private static string Prose(string prose)
    {
        var text = prose
            .Replace("add --force --reason \"...\"", "send \"force\": true with a \"reason\"", StringComparison.Ordinal)
            .Replace("--reason \"...\"", "a 'reason'", StringComparison.Ordinal)
            .Replace("run --resend again", "resend it again", StringComparison.Ordinal)
            .Replace("--resend posts an alert", "a resend posts an alert", StringComparison.Ordinal);
        text = StepsExample().Replace(text, "e.g. \"steps\": \"$1\"");

        // Odd parts are quoted: a reason someone wrote, or a field name already in the body's words.
        var parts = Quoted().Split(text);
        for (var i = 0; i < parts.Length; i += 2)
        {
            foreach (var (flag, field) in Fields)
            {
                parts[i] = flag.Replace(parts[i], $"'{field}'");
            }
        }

        return string.Concat(parts);
    }

    /// <summary>What is wrong with a body <see cref="JsonSerializer"/> refused, naming the field and the shape it needs.</summary>
    public static string BodyError(JsonException ex, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(ex);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException syntax)
        {
            return $"the request body is not JSON (line {syntax.LineNumber + 1}, byte {syntax.BytePositionInLine + 1}): {Sentence(syntax.Message)}";
        }

        using (document)
        {
            var path = ex.Path ?? "$";
            var at = At(document.RootElement, path);
            var got = Kind(at);
            if (at is { ValueKind: JsonValueKind.Number or JsonValueKind.String } scalar && scalar.GetRawText() is { Length: <= 40 } raw)
            {
                got += $" ({raw})";
            }

            var expected = Expected(ex.Message);
            return path == "$"
                ? $"the request body must be a JSON object, got {got}"
                : $"'{path[(path.StartsWith("$.", StringComparison.Ordinal) ? 2 : 1)..]}' must be {expected}, got {got}";
        }
    }

    // .NET's message is "<sentence>. Path: $.x | LineNumber: 0 | BytePositionInLine: 3." (or without the path); the
    // sentence may hold dots.
    private static string Sentence(string message)
    {
        foreach (var tail in new[] { " Path: ", " LineNumber: " })
        {
            var end = message.IndexOf(tail, StringComparison.Ordinal);
            if (end >= 0)
            {
                message = message[..end];
            }
        }

        return message.TrimEnd('.');
    }

    private static string Expected(string message)
    {
        var match = ConvertedTo().Match(message);
        var type = match.Success ? match.Groups[1].Value : "";
        return type switch
        {
            _ when type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "a list",
            _ when type.Contains("System.String", StringComparison.Ordinal) => "a string",
            _ when type.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
            _ when type.Contains("System.Int", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("System.Double", StringComparison.Ordinal) || type.Contains("System.Decimal", StringComparison.Ordinal) => "a number",
            _ when type.StartsWith("Glidepath.", StringComparison.Ordinal) => "a JSON object",
            _ => "another kind of value",
        };
    }

    private static JsonElement? At(JsonElement root, string path)
    {
        var current = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                if (!int.TryParse(segment.Groups["index"].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i)
                    || current.ValueKind != JsonValueKind.Array || i >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[i];
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string Kind(JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true or false",
        JsonValueKind.Null => "null",
        _ => "something else",
    };

    [GeneratedRegex(@"(glidepath [^;()\n']*)", RegexOptions.CultureInvariant)]
    private static partial Regex Command();

    [GeneratedRegex(@"(""[^""\n]*"")", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"e\.g\. --steps (\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex StepsExample();

    [GeneratedRegex(@"converted to ([^\s]+?)\.(?: Path:|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();
}
