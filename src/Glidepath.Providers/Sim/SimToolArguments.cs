using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Glidepath.Providers.Sim;

/// <summary>
/// Fills a tool's arguments from the user's message using its JSON schema: identifiers by the shape of
/// the schema's example ("e.g. NW-48213"), enum values the message names, free text from the message.
/// </summary>
internal static partial class SimToolArguments
{
    /// <summary>The arguments, or null with the description of the first required value the message lacks.</summary>
    public static (Dictionary<string, object?>? Arguments, string? Missing) Fill(JsonElement schema, string message)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        var required = schema.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Select(r => r.GetString() ?? "").ToHashSet(StringComparer.Ordinal)
            : [];
        if (!schema.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object)
        {
            return (args, null);
        }

        foreach (var prop in props.EnumerateObject())
        {
            var name = prop.Name;
            var spec = prop.Value;
            var type = spec.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "string";
            var description = spec.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? "" : "";
            var isRequired = required.Contains(name);
            object? value = null;

            if (spec.TryGetProperty("enum", out var en) && en.ValueKind == JsonValueKind.Array)
            {
                var options = en.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
                value = options.FirstOrDefault(o => message.Contains(o, StringComparison.OrdinalIgnoreCase)) ?? (isRequired ? options.FirstOrDefault() : null);
            }
            else if (type is "string" && IsIdentifier(name, description))
            {
                value = FindIdentifier(description, message);
            }
            else if (type is "number" or "integer")
            {
                if (isRequired && Amount().Match(message) is { Success: true } m)
                {
                    value = double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else if (type is "string" && isRequired)
            {
                value = Summary(message);
            }

            if (value is not null)
            {
                args[name] = value;
            }
            else if (isRequired)
            {
                return (null, What(name, description));
            }
        }

        return (args, null);
    }

    /// <summary>Whether the message carries a value for one of the schema's required identifier properties.</summary>
    public static bool HasIdentifier(JsonElement schema, string message)
    {
        if (!schema.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object ||
            !schema.TryGetProperty("required", out var req) || req.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var name in req.EnumerateArray().Select(r => r.GetString() ?? ""))
        {
            if (props.TryGetProperty(name, out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                var description = spec.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() ?? "" : "";
                if (IsIdentifier(name, description) && FindIdentifier(description, message) is not null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsIdentifier(string name, string description) =>
        name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("id", StringComparison.OrdinalIgnoreCase) && name.Length <= 3 ||
        name.Contains("number", StringComparison.OrdinalIgnoreCase) || description.Contains("number", StringComparison.OrdinalIgnoreCase) ||
        description.Contains("e.g.", StringComparison.Ordinal);

    private static string? FindIdentifier(string description, string message)
    {
        var example = Example().Match(description);
        if (example.Success)
        {
            var shape = ShapeOf(example.Groups[1].Value);
            var m = Regex.Match(message, shape, RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            if (m.Success)
            {
                return m.Value.ToUpperInvariant();
            }
        }

        var generic = GenericId().Match(message);
        return generic.Success ? generic.Value : null;
    }

    /// <summary>"NW-48213" → <c>\b[A-Za-z]{2}-?[0-9]{3,}\b</c>: letters and digits by kind, lengths loosened.</summary>
    private static string ShapeOf(string example)
    {
        var sb = new StringBuilder(@"\b");
        var i = 0;
        while (i < example.Length)
        {
            var c = example[i];
            var j = i;
            if (char.IsLetter(c))
            {
                while (j < example.Length && char.IsLetter(example[j]))
                {
                    j++;
                }

                sb.Append("[A-Za-z]{").Append(j - i).Append('}');
            }
            else if (char.IsDigit(c))
            {
                while (j < example.Length && char.IsDigit(example[j]))
                {
                    j++;
                }

                sb.Append("[0-9]{").Append(Math.Max(1, j - i - 2)).Append(",}");
            }
            else
            {
                j++;
                sb.Append(Regex.Escape(c.ToString())).Append('?');
            }

            i = j;
        }

        return sb.Append(@"\b").ToString();
    }

    private static string What(string name, string description)
    {
        var text = description.Length > 0 ? description : name.Replace('_', ' ');
        var cut = text.IndexOf(", e.g.", StringComparison.Ordinal);
        text = (cut > 0 ? text[..cut] : text).TrimEnd('.');
        return char.ToLowerInvariant(text[0]) + text[1..];
    }

    private static string Summary(string message)
    {
        var s = Whitespace().Replace(message, " ").Trim();
        return s.Length > 160 ? s[..160] + "…" : s;
    }

    [GeneratedRegex(@"e\.g\.\s*([A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9])")]
    private static partial Regex Example();

    [GeneratedRegex(@"\b(?=[A-Za-z0-9-]*[0-9])[A-Za-z]{1,5}-?[0-9]{3,}\b|#[0-9]{4,}\b")]
    private static partial Regex GenericId();

    [GeneratedRegex(@"\$\s?([0-9]+(?:\.[0-9]{1,2})?)")]
    private static partial Regex Amount();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
