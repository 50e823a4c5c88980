using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Glidepath.Errors;
using Glidepath.Manifests;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Evals.Import;

/// <summary>
/// Converts a promptfoo suite (a config with <c>prompts</c>/<c>tests</c>/<c>defaultTest</c>, or a bare list of
/// tests) to Glidepath dataset cases. Assertions equals, contains, icontains, contains-all, not-contains,
/// regex, is-json, contains-json and llm-rubric become case expectations; everything else is reported.
/// </summary>
public static partial class PromptfooImporter
{
    private static readonly string[] MessageVars = ["question", "query", "input", "message", "prompt", "user_input", "text"];

    private static readonly string[] ConfigKeys = ["prompts", "tests", "defaultTest", "description"];
    private static readonly string[] TestKeys = ["description", "vars", "assert"];
    private static readonly string[] ScriptExtensions = [".py", ".js", ".mjs", ".cjs", ".ts"];

    /// <summary>Converts a suite whose <c>file://</c> references are read through <paramref name="files"/> (none are readable when null).</summary>
    public static PromptfooImport Convert(string yaml, string file, PromptfooFiles? files = null)
    {
        files ??= new PromptfooFiles(file, _ => null);
        var config = new PromptfooSource(file, yaml);
        var root = Parse(yaml, file);
        var notes = new List<string>();
        JsonArray tests;
        JsonObject? defaults = null;
        string? template = null;
        switch (root)
        {
            case JsonArray list:
                tests = list;
                break;
            case JsonObject c when c["tests"] is JsonArray t:
                tests = t;
                break;
            case JsonObject c when c["tests"] is JsonValue v && PromptfooFiles.IsReference(v.ToString()):
                tests = [v.ToString()];
                break;
            default:
                throw new BadInputException($"{file}: no tests found; expected a promptfoo config with tests: [...] or a YAML list of tests");
        }

        if (root is JsonObject top)
        {
            defaults = top["defaultTest"] as JsonObject;
            template = PromptTemplate(top["prompts"], notes);
            foreach (var (key, _) in top.Where(kv => !ConfigKeys.Contains(kv.Key)))
            {
                notes.Add($"{key}: not converted{(key == "providers" ? " (the release's model is used)" : "")}");
            }
        }

        var entries = Expand(tests, config, files, notes);
        var cases = new List<JsonObject>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var (node, source) = entries[i];
            if (node is not JsonObject test)
            {
                notes.Add($"test {i + 1}: not a mapping{(source == config ? "" : $" (in {source.Name})")}; skipped");
                continue;
            }

            var label = test["description"]?.ToString() is { Length: > 0 } d ? $"test {i + 1} ({d})" : $"test {i + 1}";
            foreach (var (key, _) in test.Where(kv => !TestKeys.Contains(kv.Key)))
            {
                notes.Add($"{label}: {key} not converted");
            }

            var vars = new JsonObject();
            foreach (var (from, map) in new[] { (config, defaults?["vars"] as JsonObject), (source, test["vars"] as JsonObject) })
            {
                foreach (var (k, v) in map ?? [])
                {
                    vars[k] = Var(k, v, from, files, label, notes);
                }
            }

            var message = UserMessage(template, vars, label, notes);
            if (message is null)
            {
                continue;
            }

            var expect = new JsonObject();
            var asserts = (defaults?["assert"] as JsonArray ?? []).Concat(test["assert"] as JsonArray ?? []).ToList();
            foreach (var a in asserts)
            {
                Assertion(a as JsonObject, expect, label, notes, kinds);
            }

            var id = UniqueId(test["description"]?.ToString(), i, ids);
            var input = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = message }) };
            if (vars.Count > 0)
            {
                input["vars"] = vars;
            }

            cases.Add(new JsonObject { ["id"] = id, ["input"] = input, ["expect"] = expect });
        }

        if (kinds.Contains("json"))
        {
            // json_valid scores every case; cases that asserted no JSON opt out.
            foreach (var c in cases.Where(c => c["expect"]!["json"] is null))
            {
                c["expect"]!["json"] = false;
            }
        }

        return new PromptfooImport { Cases = cases, Scorers = ScorerLines(kinds), NotConverted = notes };
    }

    private static JsonNode? Parse(string yaml, string file)
    {
        try
        {
            // The same limits as the manifest: size, nesting depth and alias expansion.
            if (yaml.Length > ManifestLimits.MaxBytes)
            {
                throw new BadInputException($"{file}: larger than {ManifestLimits.MaxBytes / 1024} KiB; expected a smaller suite");
            }

            if (YamlGuard.Check(yaml, out _) is { } tooMuch)
            {
                throw new BadInputException($"{file}:{tooMuch.Where.Line}:{tooMuch.Where.Column}: {tooMuch.Message}");
            }

            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 0 ? null : YamlNodeReader.ToJson(stream.Documents[0].RootNode);
        }
        catch (YamlException ex)
        {
            throw new BadInputException($"{file}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML ({ex.Message}); expected a promptfoo config or a list of tests");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new BadInputException($"{file}: not valid YAML ({ex.Message}); expected a promptfoo config or a list of tests");
        }
    }

    /// <summary>The tests with each <c>file://</c> entry replaced by the tests its file holds, each with the file it came from.</summary>
    private static List<(JsonNode? Test, PromptfooSource Source)> Expand(JsonArray tests, PromptfooSource config, PromptfooFiles files, List<string> notes)
    {
        var entries = new List<(JsonNode?, PromptfooSource)>();
        foreach (var entry in tests)
        {
            var reference = entry is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (!PromptfooFiles.IsReference(reference))
            {
                entries.Add((entry, config));
                continue;
            }

            var extension = Path.GetExtension(reference!).ToLowerInvariant();
            if (reference!.Contains('*', StringComparison.Ordinal) || extension is not (".yaml" or ".yml" or ".json"))
            {
                notes.Add($"tests: {reference} is not converted (only YAML or JSON test files without wildcards are read); import it separately");
                continue;
            }

            var text = files.Read(reference, config);
            var name = Path.Combine(Path.GetDirectoryName(config.Name) ?? "", reference["file://".Length..]);
            switch (Parse(text, name))
            {
                case JsonArray list:
                    entries.AddRange(list.Select(t => (t, new PromptfooSource(name, text))));
                    break;
                case JsonObject single:
                    entries.Add((single, new PromptfooSource(name, text)));
                    break;
                default:
                    notes.Add($"tests: {reference} holds no tests; skipped");
                    break;
            }
        }

        return entries;
    }

    /// <summary>A var's value as text: a <c>file://</c> reference is replaced by the file's text; scripts and structured values are reported.</summary>
    private static string Var(string name, JsonNode? value, PromptfooSource source, PromptfooFiles files, string label, List<string> notes)
    {
        if (value is JsonValue jv && jv.GetValueKind() == JsonValueKind.String)
        {
            var text = jv.GetValue<string>();
            if (!PromptfooFiles.IsReference(text))
            {
                return text;
            }

            if (ScriptExtensions.Contains(Path.GetExtension(text).ToLowerInvariant()))
            {
                notes.Add($"{label}: var '{name}' runs {text}; scripts are not converted (the reference is kept as text)");
                return text;
            }

            return files.Read(text, source);
        }

        if (value is JsonArray)
        {
            notes.Add($"{label}: var '{name}' is a list (promptfoo runs one test per value); converted as one JSON text");
        }

        return value?.ToJsonString() ?? "";
    }

    private static void Assertion(JsonObject? a, JsonObject expect, string label, List<string> notes, HashSet<string> kinds)
    {
        var type = a?["type"]?.ToString();
        if (a is null || type is null)
        {
            notes.Add($"{label}: an assertion without a type; skipped");
            return;
        }

        var value = a["value"];
        var text = value is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number ? v.ToString() : null;
        if (text?.StartsWith("file://", StringComparison.Ordinal) == true)
        {
            notes.Add($"{label}: assert '{type}' reads {text}; file references are not converted");
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
                    Append(expect, "contains", item?.ToString() ?? "");
                }

                kinds.Add("contains");
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
                notes.Add($"{label}: assert '{type}'{(text is null && value is not null ? " with a non-text value" : "")} is not converted");
                break;
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

    private static string? PromptTemplate(JsonNode? prompts, List<string> notes)
    {
        var list = prompts switch
        {
            JsonArray a => a.ToList(),
            JsonValue v => [v],
            _ => [],
        };
        var texts = list.Select(p => p is JsonObject o ? o["raw"]?.ToString() : p?.ToString()).ToList();
        if (texts.Count == 0)
        {
            return null;
        }

        if (texts.Count > 1)
        {
            notes.Add($"{texts.Count} prompts: only the first is used to build each case's user message (a Glidepath release has one system prompt)");
        }

        var first = texts[0];
        if (first is null || first.StartsWith("file://", StringComparison.Ordinal))
        {
            notes.Add($"prompt {first ?? "(object)"} is a file reference; the user message is taken from the test vars instead");
            return null;
        }

        return first;
    }

    private static string? UserMessage(string? template, JsonObject vars, string label, List<string> notes)
    {
        if (template is not null)
        {
            var missing = new List<string>();
            var rendered = Placeholder().Replace(template, m =>
            {
                var name = m.Groups[1].Value;
                if (vars[name] is { } value)
                {
                    return value.ToString();
                }

                missing.Add(name);
                return m.Value;
            });
            if (missing.Count > 0)
            {
                notes.Add($"{label}: the prompt uses {string.Join(", ", missing)}, which the test does not set; left as written");
            }

            return rendered;
        }

        var named = MessageVars.FirstOrDefault(n => vars[n] is not null);
        if (named is not null)
        {
            return vars[named]!.ToString();
        }

        if (vars.Count == 1)
        {
            return vars.First().Value!.ToString();
        }

        notes.Add($"{label}: no prompt template and no var named {string.Join("/", MessageVars)}; skipped (cannot tell which var is the user's message)");
        return null;
    }

    private static string UniqueId(string? description, int index, HashSet<string> ids)
    {
        var slug = description is null ? "" : Slug().Replace(description.ToLowerInvariant(), "-").Trim('-');
        if (slug.Length > 60)
        {
            slug = slug[..60].TrimEnd('-');
        }

        var id = slug.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"test-{index + 1}") : slug;
        for (var n = 2; !ids.Add(id); n++)
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{slug}-{n}");
        }

        return id;
    }

    private static List<string> ScorerLines(HashSet<string> kinds)
    {
        var lines = new List<string>();
        if (kinds.Contains("exact"))
        {
            lines.Add("{ type: exact }");
        }

        if (kinds.Contains("contains"))
        {
            lines.Add("{ type: contains }          # reads expect.contains and expect.icontains");
        }

        if (kinds.Contains("not_contains"))
        {
            lines.Add("{ type: not_contains }      # reads expect.not_contains");
        }

        if (kinds.Contains("regex"))
        {
            lines.Add("{ type: regex }             # reads expect.regex");
        }

        if (kinds.Contains("json"))
        {
            lines.Add("{ type: json_valid }        # cases with \"json\": false are skipped");
        }

        if (kinds.Contains("llm_judge"))
        {
            lines.Add("{ type: llm_judge, rubric: evals/rubric.md, model: { provider: anthropic, name: claude-haiku-4-5 }, pass: 0.7 }   # expect.rubric adds each case's criteria");
        }

        return lines;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();
}
