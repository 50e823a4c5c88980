using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Models;

/// <summary>
/// A tool call's arguments (a <c>FunctionCallContent.Arguments</c> dictionary) to and from JSON without the reflection
/// serializer on the common shapes: strings, numbers, booleans, null, <see cref="JsonElement"/>, <see cref="JsonNode"/>,
/// and nested dictionaries and lists of those. The serializer's first use costs a short command (an eval run, a gate)
/// ~0.1–0.2 s of start-up for metadata it builds once; the output here is byte for byte what
/// <c>JsonSerializer.Serialize</c> writes with its default options (ToolArgumentsTests), and any other value type is
/// handed to the serializer as before.
/// </summary>
public static class ToolArguments
{
    private static readonly Dictionary<string, object?> Empty = [];

    /// <summary>The arguments as JSON (<c>{}</c> for none), as <c>JsonSerializer.Serialize</c> writes them with its default options.</summary>
    public static string ToJson(IDictionary<string, object?>? arguments)
    {
        arguments ??= Empty;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (!TryWriteValue(w, arguments))
            {
                return JsonSerializer.Serialize(arguments);
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes a value of the shapes this type knows; false (with part of it written) for anything else, so the caller
    /// can fall back to a serializer of its choice for the whole document.
    /// </summary>
    public static bool TryWriteValue(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                return true;
            case string s:
                w.WriteStringValue(s);
                return true;
            case bool b:
                w.WriteBooleanValue(b);
                return true;
            case int i:
                w.WriteNumberValue(i);
                return true;
            case long l:
                w.WriteNumberValue(l);
                return true;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                return true;
            case decimal m:
                w.WriteNumberValue(m);
                return true;
            case JsonElement e:
                e.WriteTo(w);
                return true;
            case JsonNode n:
                n.WriteTo(w);
                return true;
            case IDictionary<string, object?> map:
                w.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    w.WritePropertyName(key);
                    if (!TryWriteValue(w, item))
                    {
                        return false;
                    }
                }

                w.WriteEndObject();
                return true;
            case IList<object?> list:
                w.WriteStartArray();
                foreach (var item in list)
                {
                    if (!TryWriteValue(w, item))
                    {
                        return false;
                    }
                }

                w.WriteEndArray();
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Parses arguments as the serializer reads an <c>IDictionary&lt;string, object?&gt;</c>: JSON null is null, an
    /// object is a dictionary whose values are <see cref="JsonElement"/>s (null for a JSON null; a repeated name keeps
    /// its last value). Throws <see cref="JsonException"/> for text that is not JSON or not an object.
    /// </summary>
    public static IDictionary<string, object?>? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"tool arguments must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
        }

        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            arguments[property.Name] = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value.Clone();
        }

        return arguments;
    }
}
