using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Small readers over <see cref="JsonElement"/> that turn wrong types into clear 400s.</summary>
internal static class Json
{
    public static string? String(JsonElement obj, string name, string where)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw WireException.BadRequest($"'{where}{name}' must be a string");
    }

    public static double? Number(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw WireException.BadRequest($"'{name}' must be a number");
    }

    public static int? Integer(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : throw WireException.BadRequest($"'{name}' must be an integer");
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
        String(root, "model", "") is { Length: > 0 } model ? model : throw WireException.BadRequest("'model' is required: the app name, e.g. \"support-agent\" or \"support-agent@staging\"");

    /// <summary>A JSON object as tool-call arguments (values stay <see cref="JsonElement"/>s).</summary>
    public static Dictionary<string, object?> Arguments(JsonElement obj)
    {
        var args = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                args[p.Name] = p.Value.Clone();
            }
        }

        return args;
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

    /// <summary>A tool declared by the caller (no implementation: the caller runs it).</summary>
    public static AITool Tool(string name, string? description, JsonElement schema, string where)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw WireException.BadRequest($"'{where}.name' is required");
        }

        var s = schema.ValueKind == JsonValueKind.Object ? schema.Clone() : EmptySchema;
        return AIFunctionFactory.CreateDeclaration(name, description, s);
    }

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
}
