using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;

namespace Glidepath.Manifests;

/// <summary>
/// The manifest check of a tool file's JSON schema beyond its shape (<see cref="ToolDefinition.TryParse"/>): a misspelled
/// keyword (<c>requried</c>, <c>propertes</c>), a <c>type</c> that is not a JSON Schema type, and a <c>required</c> that
/// names a property the schema does not declare, each at its line.
/// </summary>
/// <remarks>
/// A provider ignores a keyword it does not know, so <c>"requried": ["order_id"]</c> makes the argument optional and the
/// model calls the tool without it; nothing but this check would notice. A keyword that is no JSON Schema (or OpenAPI)
/// keyword but within a typo of one is refused with a did-you-mean; any other unknown keyword is left alone, since
/// extensions (<c>x-internal</c>) are legal JSON Schema. Run only when a release is made from the manifest: a stored
/// release loads as it was accepted.
/// </remarks>
internal static class ToolSchemaCheck
{
    private static readonly string[] ToolKeys = ["name", "description", "input_schema", "parameters", "strict", "type", "cache_control", "input_examples"];

    private static readonly string[] Types = ["string", "number", "integer", "boolean", "object", "array", "null"];

    // JSON Schema draft-04 to 2020-12, and the OpenAPI and provider keywords tool schemas carry (nullable, example,
    // propertyOrdering, discriminator).
    private static readonly string[] Keywords =
    [
        "$schema", "$id", "id", "$ref", "$defs", "definitions", "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef",
        "$recursiveAnchor", "$vocabulary", "$comment",
        "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "dependencies", "prefixItems", "items",
        "additionalItems", "contains", "properties", "patternProperties", "additionalProperties", "propertyNames",
        "unevaluatedItems", "unevaluatedProperties",
        "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
        "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties",
        "minProperties", "required", "dependentRequired",
        "title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format", "contentEncoding",
        "contentMediaType", "contentSchema",
        "nullable", "example", "propertyOrdering", "discriminator", "xml", "externalDocs",
    ];

    // Keywords whose value is one schema, a map of schemas by name, or a list of schemas.
    private static readonly string[] SchemaValued = ["not", "if", "then", "else", "items", "additionalItems", "contains", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema"];
    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];

    /// <summary>Adds the problems of the tool file <paramref name="bytes"/>, which <see cref="ToolDefinition.TryParse"/> accepted, to <paramref name="errors"/>.</summary>
    public static void Check(byte[] bytes, string file, List<ManifestError> errors)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(errors);
        if (JsonNode.Parse(bytes) is not JsonObject root)
        {
            return;
        }

        var (tool, toolPath) = root["function"] is JsonObject inner && root["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "function"
            ? (inner, "/function")
            : (root, "");
        var at = JsonPositions.Of(bytes);
        foreach (var (key, _) in tool)
        {
            if (!ToolKeys.Contains(key, StringComparer.Ordinal) && ClosestName.Of(key, ToolKeys) is { } close)
            {
                Add(errors, file, at.Key(toolPath + "/" + JsonPositions.Escape(key)), $"unknown key '{key}' in the tool definition; did you mean '{close}'?");
            }
        }

        var schemaKey = tool.ContainsKey("input_schema") ? "input_schema" : "parameters";
        new Walk(file, at, errors).Schema(tool[schemaKey], toolPath + "/" + schemaKey, $"\"{schemaKey}\"");
    }

    private static void Add(List<ManifestError> errors, string file, (int Line, int Column) at, string message) =>
        errors.Add(new ManifestError(file, at.Line, at.Column, message));

    private sealed class Walk(string file, JsonPositions at, List<ManifestError> errors)
    {
        public void Schema(JsonNode? node, string path, string what)
        {
            if (node is not JsonObject schema)
            {
                return; // true/false are schemas too; a wrong shape elsewhere is TryParse's to report
            }

            foreach (var (key, value) in schema)
            {
                var keyPath = path + "/" + JsonPositions.Escape(key);
                if (!Keywords.Contains(key, StringComparer.Ordinal))
                {
                    if (ClosestName.Of(key, Keywords) is { } close)
                    {
                        Add(errors, file, at.Key(keyPath), $"unknown JSON Schema keyword '{key}' in {what} (a provider ignores it); did you mean '{close}'?");
                    }

                    continue;
                }

                Children(key, value, keyPath, $"{what}.\"{key}\"");
            }

            Type(schema["type"], path + "/type", what);
            Required(schema, path, what);
        }

        private void Children(string key, JsonNode? value, string path, string what)
        {
            if (SchemaValued.Contains(key, StringComparer.Ordinal) && value is JsonObject)
            {
                Schema(value, path, what);
            }
            else if (SchemaMaps.Contains(key, StringComparer.Ordinal) && value is JsonObject map)
            {
                foreach (var (name, child) in map)
                {
                    Schema(child, path + "/" + JsonPositions.Escape(name), $"{what}.\"{name}\"");
                }
            }
            else if (SchemaLists.Contains(key, StringComparer.Ordinal) && value is JsonArray list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    Schema(list[i], $"{path}/{i}", $"{what}[{i}]");
                }
            }
        }

        private void Type(JsonNode? type, string path, string what)
        {
            var names = type switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => [(v.GetValue<string>(), path)],
                JsonArray a => a.Select((n, i) => (n is JsonValue e && e.GetValueKind() == JsonValueKind.String ? e.GetValue<string>() : null, $"{path}/{i}")).ToList(),
                null => [],
                _ => new List<(string?, string)> { (null, path) },
            };
            foreach (var (name, at1) in names)
            {
                if (name is null || !Types.Contains(name, StringComparer.Ordinal))
                {
                    var shown = name is null ? "a type that is not a name" : $"'{name}'";
                    Add(errors, file, at.Value(at1), $"{what}.\"type\" {shown} is not a JSON Schema type; expected one of: {string.Join(", ", Types)}{ClosestName.Suggestion(name ?? "", Types)}");
                }
            }
        }

        // A provider does not check that "required" names declared properties; the model is then asked for an argument
        // the schema never describes, or (with "properties" misspelled) for none of them. Only an object's own schema is
        // held to it: a branch such as anyOf: [{required: [a]}, {required: [b]}] names its parent's properties.
        private void Required(JsonObject schema, string path, string what)
        {
            var isObject = schema.ContainsKey("properties") || (schema["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "object");
            if (schema["required"] is not JsonArray required || !isObject)
            {
                return;
            }

            var declared = schema["properties"] as JsonObject;
            for (var i = 0; i < required.Count; i++)
            {
                var name = required[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
                if (name is null || declared is null || !declared.ContainsKey(name))
                {
                    var shown = name is null ? "an entry that is not a property name" : $"'{name}'";
                    var fix = declared is null ? "; expected \"properties\" to declare it" : ClosestName.Suggestion(name ?? "", declared.Select(p => p.Key));
                    Add(errors, file, at.Value($"{path}/required/{i}"), $"{what}.\"required\" names {shown}, a property that \"properties\" does not declare{fix}");
                }
            }
        }
    }
}
