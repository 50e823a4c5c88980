using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Manifests;

/// <summary>A tool the model may call: name, description and JSON-schema of its input.</summary>
public sealed record ToolDefinition(string Name, string Description, JsonObject InputSchema)
{
    /// <summary>
    /// Parses a tool file: <c>{"name", "description", "input_schema"}</c> (Anthropic style) or
    /// <c>{"name", "description", "parameters"}</c> / <c>{"type":"function","function":{…}}</c> (OpenAI style).
    /// Returns the problems found instead of throwing, each with a line and column where known. The keywords of the schema
    /// are the manifest check's (<see cref="ToolSchemaCheck"/>), not this: a stored release loads as it was accepted.
    /// </summary>
    public static ToolDefinition? TryParse(byte[] bytes, string file, List<ManifestError> errors)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException ex)
        {
            errors.Add(new ManifestError(file, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1,
                $"not valid JSON ({FirstSentence(ex.Message)}); expected a JSON-schema tool definition"));
            return null;
        }

        var toolPath = "";
        if (root is JsonObject { } fn && fn["type"]?.GetValueKind() == JsonValueKind.String &&
            fn["type"]!.GetValue<string>() == "function" && fn["function"] is JsonObject inner)
        {
            (root, toolPath) = (inner, "/function");
        }

        if (root is not JsonObject obj)
        {
            errors.Add(new ManifestError(file, 1, 1, "a tool definition must be a JSON object; expected {\"name\", \"description\", \"input_schema\"}"));
            return null;
        }

        // Positions are read only when there is a problem to place: a stored release's tools are parsed on every load.
        JsonPositions? positions = null;
        void Error(string path, bool atValue, string message)
        {
            positions ??= JsonPositions.Of(bytes);
            var (line, column) = atValue ? positions.Value(toolPath + path) : positions.Key(toolPath + path);
            errors.Add(new ManifestError(file, line, column, message));
        }

        var ok = true;
        var name = obj["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) ? n : null;
        if (string.IsNullOrWhiteSpace(name) || !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-zA-Z0-9_-]{1,64}\\z"))
        {
            Error("/name", true, "missing or invalid \"name\"; expected 1-64 letters, digits, '_' or '-'");
            ok = false;
        }

        var description = obj["description"] is JsonValue dv && dv.TryGetValue<string>(out var d) ? d : "";
        var schemaKey = obj.ContainsKey("input_schema") ? "/input_schema" : "/parameters";
        var schema = obj[schemaKey[1..]] as JsonObject;
        if (schema is null)
        {
            Error(schemaKey, true, "missing \"input_schema\" (or \"parameters\"); expected a JSON-schema object");
            ok = false;
        }
        else if (schema["type"] is not JsonValue tv || !tv.TryGetValue<string>(out var t) || t != "object")
        {
            Error(schemaKey + (schema.ContainsKey("type") ? "/type" : ""), true, "\"input_schema\".\"type\" must be \"object\"; tool inputs are JSON objects");
            ok = false;
        }
        else if (schema["properties"] is not null and not JsonObject)
        {
            Error(schemaKey + "/properties", true, "\"input_schema\".\"properties\" must be an object");
            ok = false;
        }

        return ok ? new ToolDefinition(name!, description, (JsonObject)schema!.DeepClone()) : null;
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message.TrimEnd('.');
    }
}
