using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Evals.Import;

/// <summary>
/// One promptfoo assertion as a case expectation (equals, contains, icontains, contains-all, not-contains, regex,
/// is-json, contains-json, llm-rubric), or a note saying why it is not converted; and the scorer lines that read them.
/// </summary>
internal static class PromptfooAssertions
{
    /// <summary>
    /// Adds assertion <paramref name="a"/> to <paramref name="expect"/>, its string values rendered with the test's text
    /// <paramref name="vars"/> (as promptfoo renders them with nunjucks), or notes why it is not converted.
    /// </summary>
    public static void Convert(JsonObject? a, JsonObject expect, JsonObject vars, string label, List<string> notes, HashSet<string> kinds)
    {
        var type = a?["type"]?.ToString();
        if (a is null || type is null)
        {
            notes.Add($"{label}: an assertion without a type; skipped");
            return;
        }

        var value = a["value"];
        var text = Text(value);
        if (text?.StartsWith("file://", StringComparison.Ordinal) == true)
        {
            notes.Add($"{label}: assert '{type}' reads {text}; file references are not converted");
            return;
        }

        // promptfoo's weight 0 makes an assertion informational: converted, the case would have to pass it.
        if (a["weight"] is JsonValue w && w.GetValueKind() == JsonValueKind.Number && double.Parse(w.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            notes.Add($"{label}: assert '{type}' has weight 0 (informational in promptfoo); skipped");
            return;
        }

        // promptfoo fills {{ expected }} in a value from the test's vars; kept as written, the answer could never contain it
        // and the case would fail on every side for good (outside trial author, #1).
        if (Converts(type, value))
        {
            var (rendered, problem) = Render(value, vars);
            if (problem is not null)
            {
                notes.Add($"{label}: assert '{type}' {problem}; not converted");
                return;
            }

            value = rendered;
            text = Text(value);
        }

        // Keys that change what the assertion checks (transform, threshold, provider, …) cannot be carried over: the
        // check is converted as written, and the note says what it lost.
        foreach (var (key, _) in Converts(type, value) ? a.Where(kv => kv.Key is not ("type" or "value" or "weight" or "metric")) : [])
        {
            notes.Add($"{label}: assert '{type}': {key} not converted (the check is converted without it)");
        }

        if (Conflict(type, text, expect) is { } conflict)
        {
            notes.Add($"{label}: assert '{type}' {conflict}; not converted");
            return;
        }

        switch (type)
        {
            case "equals" when text is not null:
                expect["exact"] = text;
                kinds.Add("exact");
                break;
            case "contains" or "icontains" or "not-contains" when text is not null:
                Append(expect, type switch { "contains" => "contains", "icontains" => "icontains", _ => "not_contains" }, text);
                kinds.Add(type == "not-contains" ? "not_contains" : "contains");
                break;
            case "contains-all" when value is JsonArray all:
                foreach (var item in all)
                {
                    if (item is JsonValue iv && iv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
                    {
                        Append(expect, "contains", iv.ToString());
                    }
                    else
                    {
                        // A null would become "", which every answer contains.
                        notes.Add($"{label}: assert 'contains-all' has {item?.ToJsonString() ?? "null"} among its values; that value is not converted");
                    }
                }

                kinds.Add("contains");
                break;
            case "regex" when text is not null && RegexProblem(text) is { } problem:
                notes.Add($"{label}: assert 'regex' {problem}; not converted");
                break;
            case "regex" when text is not null && expect["regex"] is null:
                expect["regex"] = text;
                kinds.Add("regex");
                break;
            case "is-json" when value is null:
                expect["json"] = true;
                kinds.Add("json");
                break;
            case "is-json" or "contains-json" when value is not null:
                notes.Add($"{label}: assert '{type}' with a schema is not converted; add a json_schema scorer with the schema in a file");
                break;
            case "contains-json":
                expect["json"] = "contains";
                kinds.Add("json");
                break;
            case "llm-rubric" when text is not null:
                expect["rubric"] = expect["rubric"] is { } r ? $"{r}\n{text}" : text;
                kinds.Add("llm_judge");
                break;
            default:
                // Name what is not supported: the assertion type itself, or (for a type that is converted) the kind of its value.
                notes.Add(Converts(type, value)
                    ? $"{label}: assert '{type}' with {Kind(value)} value is not supported (expected {(type == "contains-all" ? "a list" : "text")}); not converted"
                    : $"{label}: assert '{type}' is not supported; not converted");
                break;
        }
    }

    private static string Kind(JsonNode? value) => value switch
    {
        null => "no",
        JsonArray => "a list",
        JsonObject => "a mapping",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => "a true/false",
            JsonValueKind.Null => "a null",
            JsonValueKind.Number => "a number",
            _ => "a text",
        },
        _ => "an unknown",
    };

    private static string? Text(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null;

    /// <summary>
    /// The value with the <c>{{ var }}</c> references of its strings (alone, or in a list) filled from <paramref name="vars"/>, or
    /// why it cannot be: a var the test does not set as text, or nunjucks beyond a plain placeholder.
    /// </summary>
    private static (JsonNode? Value, string? Problem) Render(JsonNode? value, JsonObject vars)
    {
        switch (value)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var one = PromptfooTemplate.Render(v.GetValue<string>(), vars);
                return one.Complete ? (JsonValue.Create(one.Text), null) : (null, Problem(one));
            case JsonArray list:
                var items = new JsonArray();
                foreach (var item in list)
                {
                    if (item is JsonValue iv && iv.GetValueKind() == JsonValueKind.String)
                    {
                        var each = PromptfooTemplate.Render(iv.GetValue<string>(), vars);
                        if (!each.Complete)
                        {
                            return (null, Problem(each));
                        }

                        items.Add(each.Text);
                    }
                    else
                    {
                        items.Add(item?.DeepClone());
                    }
                }

                return (items, null);
            default:
                return (value, null);
        }
    }

    private static string Problem(PromptfooRendering r)
    {
        var parts = new List<string>();
        if (r.Missing.Count > 0)
        {
            parts.Add($"uses {string.Join(", ", r.Missing.Select(m => "{{ " + m + " }}"))}, which the test's vars do not set as text");
        }

        if (r.Unsupported.Count > 0)
        {
            parts.Add($"has {string.Join(", ", r.Unsupported)}, template syntax beyond {{{{ name }}}} that is not rendered");
        }

        return string.Join(" and ", parts);
    }

    /// <summary>Whether an assertion of <paramref name="type"/> is converted at all (else the note says so, not its keys).</summary>
    private static bool Converts(string type, JsonNode? value) =>
        type is "equals" or "contains" or "icontains" or "not-contains" or "contains-all" or "regex" or "llm-rubric" ||
        type is "is-json" or "contains-json" && value is null;

    /// <summary>Why an assertion cannot join what the case already expects (a case has one exact answer, one JSON mode), or null.</summary>
    private static string? Conflict(string type, string? text, JsonObject expect) => type switch
    {
        "equals" when text is not null && expect["exact"] is JsonValue e && e.ToString() != text => $"asks for \"{text}\" where an earlier equals asked for \"{e}\" (a case has one exact answer)",
        "is-json" or "contains-json" when expect["json"] is { } mode && mode.ToJsonString() != (type == "is-json" ? "true" : "\"contains\"") => $"conflicts with an earlier {(type == "is-json" ? "contains-json" : "is-json")} (a case has one JSON check)",
        _ => null,
    };

    private static string? RegexProblem(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid .NET regular expression ({ex.Message})";
        }
    }

    private static void Append(JsonObject expect, string key, string value)
    {
        if (expect[key] is not JsonArray list)
        {
            expect[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>The eval.scorers line that reads each kind of converted expectation, in the order printed.</summary>
    private static readonly (string Kind, string Line)[] Lines =
    [
        ("exact", "{ type: exact }"),
        ("contains", "{ type: contains }          # reads expect.contains and expect.icontains"),
        ("not_contains", "{ type: not_contains }      # reads expect.not_contains"),
        ("regex", "{ type: regex }             # reads expect.regex"),
        ("json", "{ type: json_valid }        # cases with \"json\": false are skipped"),
        ("llm_judge", "{ type: llm_judge, rubric: evals/rubric.md, model: { provider: anthropic, name: claude-haiku-4-5 }, pass: 0.7 }   # write evals/rubric.md (the judge's criteria) first; expect.rubric adds each case's"),
    ];

    public static List<string> ScorerLines(HashSet<string> kinds) => [.. Lines.Where(l => kinds.Contains(l.Kind)).Select(l => l.Line)];
}
