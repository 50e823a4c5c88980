using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// Checks the shape of the <c>expect</c> keys the built-in scorers read, at load time, so a malformed
/// expectation is bad input (exit 2) instead of a case that silently passes. Other keys are left to
/// custom scorers.
/// </summary>
internal static class ExpectationShape
{
    private static readonly string[] StringOrList = ["contains", "icontains", "not_contains"];
    private static readonly string[] SingleString = ["exact", "regex", "reference", "rubric"];

    public static void Check(JsonObject expect, string where, List<string> errors)
    {
        foreach (var (key, value) in expect)
        {
            var problem = key switch
            {
                _ when StringOrList.Contains(key) => StringsProblem(value),
                _ when SingleString.Contains(key) => value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? RegexProblem(key, v) : "expected a string",
                "tool_call" => ToolCallProblem(value),
                "json" => value is JsonValue j && (j.GetValueKind() is JsonValueKind.True or JsonValueKind.False || (j.GetValueKind() == JsonValueKind.String && j.GetValue<string>() == "contains"))
                    ? null : "expected true, false or \"contains\"",
                "json_schema" => value is JsonObject schema ? SchemaProblem(schema) : "expected an inline JSON schema object",
                _ => null,
            };
            if (problem is not null)
            {
                errors.Add($"{where}: expect.{key} is {Found(value)}; {problem}");
            }
        }
    }

    private static string? StringsProblem(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 => null,
        JsonArray a when a.Count > 0 && a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String && xv.GetValue<string>().Length > 0) => null,
        // An empty string is in every answer: the case would pass whatever the model said.
        _ => "expected a non-empty string or a non-empty list of them, e.g. [\"30 days\"]",
    };

    private static string? RegexProblem(string key, JsonValue value)
    {
        if (key != "regex")
        {
            return null;
        }

        try
        {
            _ = new Regex(value.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"not a valid regular expression ({ex.Message}); expected a .NET regex";
        }
    }

    // Compiled here as the scorer compiles it: a schema it cannot read would error every trial after the model was called.
    private static string? SchemaProblem(JsonObject schema) =>
        Scorers.JsonSchemaScorer.TryParse(schema.ToJsonString(), out _, out var error)
            ? null
            : $"not a valid JSON schema ({error}); expected a JSON schema object, e.g. {{\"type\": \"object\", \"required\": [\"answer\"]}}";

    private static string? ToolCallProblem(JsonNode? value)
    {
        const string Expected = "expected {\"name\": \"...\", \"arguments\": {...}}, a non-empty list of those, or false";
        return value switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.False => null,
            JsonObject o => IsCall(o) ? null : Expected,
            JsonArray a when a.Count > 0 && a.All(x => x is JsonObject o && IsCall(o)) => null,
            _ => Expected,
        };

        static bool IsCall(JsonObject o) =>
            o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && n.GetValue<string>().Length > 0 &&
            o["arguments"] is null or JsonObject;
    }

    private static string Found(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
