using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Releases;

/// <summary>The argument names a tool's input schema declares, for checking the arguments an eval case expects.</summary>
internal static class ToolArgumentNames
{
    /// <summary>JSON Schema keywords by which an object schema can admit keys its <c>properties</c> do not list (<c>unevaluatedProperties: false</c> closes it instead).</summary>
    private static readonly string[] Opening = ["allOf", "anyOf", "oneOf", "if", "then", "else", "dependentSchemas", "patternProperties", "unevaluatedProperties", "$ref", "$dynamicRef"];

    /// <summary>
    /// The names under <c>properties</c>, in schema order (none for a schema with only <c>additionalProperties: false</c>);
    /// null when the schema leaves its arguments open: it declares no <c>properties</c>, or sets <c>additionalProperties</c>
    /// to <c>true</c> or a schema. A schema that lists its properties and says nothing more counts as closed, although JSON
    /// schema's default allows other keys: models call such a tool with the keys it lists, so an expected key outside them
    /// is a typo far more often than an intent, while a schema that opens itself explicitly keeps every key.
    /// </summary>
    /// <remarks>
    /// A schema that can admit keys beyond its <c>properties</c> by other keywords (<see cref="Opening"/>: composition,
    /// conditions, patterns, a reference, unevaluated properties) is taken as open too: the keys it admits are not read here
    /// (review of newcomer4 L4, M1: six such schemas refused valid cases).
    /// </remarks>
    public static IReadOnlyList<string>? Of(JsonObject inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (Opening.Any(k => inputSchema.TryGetPropertyValue(k, out var value) && !(k == "unevaluatedProperties" && IsFalse(value))))
        {
            return null;
        }

        var closed = (inputSchema.TryGetPropertyValue("additionalProperties", out var extra) && IsFalse(extra)) || IsFalse(inputSchema["unevaluatedProperties"]);
        return inputSchema["properties"] switch
        {
            JsonObject properties when closed || extra is null => [.. properties.Select(p => p.Key)],
            null when closed => [], // a tool that takes no argument
            _ => null,
        };
    }

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;
}
