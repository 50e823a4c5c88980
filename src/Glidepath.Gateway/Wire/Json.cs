using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Small readers over <see cref="JsonElement"/> that turn wrong types into clear 400s.</summary>
internal static class Json
{
    /// <summary>The element itself when it is a JSON object; anything else is a 400 naming <paramref name="where"/>.</summary>
    public static JsonElement Object(JsonElement element, string where) =>
        element.ValueKind == JsonValueKind.Object ? element : throw WireException.BadRequest($"'{where.TrimEnd('.')}' must be an object");

    public static string? String(JsonElement obj, string name, string where)
    {
        if (!Object(obj, where).TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? Text(v, where + name) : throw WireException.BadRequest($"'{where}{name}' must be a string");
    }

    /// <summary>A JSON string's text; an escaped lone surrogate (not valid text) is a 400.</summary>
    public static string Text(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WireException.BadRequest($"'{where}' must be a string");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw WireException.BadRequest($"'{where}' is not valid Unicode text (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800)");
        }
    }

    /// <summary>An array of strings (stop sequences); another element type is a 400.</summary>
    public static List<string> Strings(JsonElement array, string where)
    {
        var list = new List<string>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            list.Add(Text(item, $"{where}[{i++}]"));
        }

        return list;
    }

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public static double? Number(JsonElement obj, string name, double min = double.MinValue, double max = double.MaxValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            throw WireException.BadRequest($"'{name}' must be a number");
        }

        return d >= min && d <= max
            ? d
            : throw WireException.BadRequest(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{name}' is {d}; expected a number from {min} to {max}"));
    }

    public static int? Integer(JsonElement obj, string name, int min = int.MinValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            // 2147483648 or 1e12 is an integer, only too large: say so, not that it is no integer.
            throw WireException.BadRequest(v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && Math.Floor(d) == d
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{name}' is {v.GetRawText()}; expected an integer from {min} to {int.MaxValue}")
                : $"'{name}' must be an integer");
        }

        return i >= min ? i : throw WireException.BadRequest(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{name}' is {i}; expected an integer of at least {min}"));
    }

    /// <summary>A 64-bit integer (OpenAI <c>seed</c>): 1.5 or 1e30 is a 400, not a crash.</summary>
    public static long? Long(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : throw WireException.BadRequest($"'{name}' must be an integer from -2^63 to 2^63-1");
    }

    public static bool Bool(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WireException.BadRequest($"'{name}' must be true or false"),
        };
    }

    /// <summary>The model name: required, a non-empty string.</summary>
    public static string Model(JsonElement root) =>
        String(root, "model", "") is { Length: > 0 } model ? model : throw WireException.BadRequest("'model' is required: the app name, e.g. \"support-agent\" or \"support-agent@staging\"" + NearMissKeys.Hint(root, "model"));

    /// <summary>The request's <c>messages</c>: required, a non-empty array (both wires).</summary>
    public static JsonElement Messages(JsonElement root) =>
        root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array && messages.GetArrayLength() > 0
            ? messages
            : throw WireException.BadRequest("'messages' is required: a non-empty array of {\"role\", \"content\"}" + NearMissKeys.Hint(root, "messages"));

    /// <summary>A JSON object as tool-call arguments (values stay <see cref="JsonElement"/>s).</summary>
    public static Dictionary<string, object?> Arguments(JsonElement obj)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                args[Name(p)] = p.Value.Clone();
            }
        }

        return args;
    }

    private static string Name(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw WireException.BadRequest("a property name in the tool arguments is not valid Unicode text (bytes that are not UTF-8, or an unpaired surrogate escape such as \\ud800)");
        }
    }

    /// <summary>Tool-call arguments given as a JSON string (OpenAI); malformed JSON is a 400.</summary>
    public static Dictionary<string, object?> ArgumentsFromString(string? text, string where)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return Arguments(doc.RootElement);
        }
        catch (JsonException)
        {
            throw WireException.BadRequest($"'{where}' must be a JSON object encoded as a string");
        }
    }

    /// <summary>Writes tool-call arguments as a JSON object.</summary>
    public static void WriteArguments(Utf8JsonWriter writer, IDictionary<string, object?>? args)
    {
        writer.WriteStartObject();
        if (args is not null)
        {
            foreach (var (key, value) in args)
            {
                writer.WritePropertyName(key);
                WriteValue(writer, value);
            }
        }

        writer.WriteEndObject();
    }

    public static string ArgumentsText(IDictionary<string, object?>? args)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteArguments(writer, args);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonElement e:
                e.WriteTo(writer);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), AIJsonUtilities.DefaultOptions);
                break;
        }
    }

    /// <summary>A tool declared by the caller (no implementation: the caller runs it). A name declared twice is a 400.</summary>
    public static AITool Tool(string name, string? description, JsonElement schema, string where, HashSet<string> seen)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw WireException.BadRequest($"'{where}.name' is required");
        }

        if (!seen.Add(name))
        {
            throw WireException.BadRequest($"'{where}.name' is '{name}', which an earlier tool already declares; tool names must be unique");
        }

        var s = schema.ValueKind == JsonValueKind.Object ? schema.Clone() : EmptySchema;
        return AIFunctionFactory.CreateDeclaration(name, description, s);
    }

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
}
