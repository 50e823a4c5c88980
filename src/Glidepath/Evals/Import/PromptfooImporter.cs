using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Glidepath.Errors;

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

    /// <summary>Converts a suite whose <c>file://</c> references are read through <paramref name="files"/> (none are readable when null).</summary>
    public static PromptfooImport Convert(string yaml, string file, PromptfooFiles? files = null)
    {
        files ??= new PromptfooFiles(file, _ => null);
        var config = new PromptfooSource(file, yaml);
        var root = PromptfooReferences.Parse(yaml, file);
        var notes = new List<string>();
        JsonArray tests;
        JsonObject? defaults = null;
        var defaultsSource = config;
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
            (defaults, defaultsSource) = PromptfooReferences.Defaults(top["defaultTest"], config, files, notes);
            foreach (var (key, _) in defaults?.Where(kv => kv.Key is not ("vars" or "assert")) ?? [])
            {
                notes.Add($"defaultTest: {key} not converted");
            }
            template = PromptfooPrompt.Template(top["prompts"], config, files, notes);
            foreach (var (key, _) in top.Where(kv => !ConfigKeys.Contains(kv.Key)))
            {
                notes.Add($"{key}: not converted{(key == "providers" ? " (the release's model is used)" : "")}");
            }
        }

        var entries = PromptfooReferences.Expand(tests, config, files, notes);
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
            var structured = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (from, map) in new[] { (defaultsSource, PromptfooReferences.VarsMap(defaults?["vars"], defaultsSource, files, "defaultTest", notes)), (source, PromptfooReferences.VarsMap(test["vars"], source, files, label, notes)) })
            {
                foreach (var (k, v) in map ?? [])
                {
                    vars[k] = PromptfooReferences.Var(k, v, from, files, label, notes);
                    if (v is JsonArray or JsonObject)
                    {
                        structured.Add(k);
                    }
                    else
                    {
                        structured.Remove(k);
                    }
                }
            }

            var message = UserMessage(template, vars, label, notes);
            if (message is null)
            {
                continue;
            }

            var expect = new JsonObject();
            var asserts = (defaults?["assert"] as JsonArray ?? []).Concat(test["assert"] as JsonArray ?? []).ToList();
            // A list or mapping var is JSON text here, not what promptfoo would put into an assertion (one value per test, or
            // nunjucks' own rendering of an object): an assertion that uses one is not converted.
            var textVars = structured.Count == 0 ? vars : new JsonObject(vars.Where(kv => !structured.Contains(kv.Key)).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
            foreach (var a in asserts)
            {
                PromptfooAssertions.Convert(a as JsonObject, expect, textVars, label, notes, kinds);
            }

            if (expect.Count == 0)
            {
                notes.Add($"{label}: no assertion converted, so its expect is empty: eval run and gate refuse the dataset (exit 2) unless eval.scorers has a scorer that checks every case (e.g. not_contains with values, llm_judge)");
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

        return new PromptfooImport { Cases = cases, Scorers = PromptfooAssertions.ScorerLines(kinds), NotConverted = notes };
    }

    private static string? UserMessage(string? template, JsonObject vars, string label, List<string> notes)
    {
        if (template is not null)
        {
            var rendered = PromptfooTemplate.Render(template, vars);
            if (rendered.Missing.Count > 0)
            {
                notes.Add($"{label}: the prompt uses {string.Join(", ", rendered.Missing)}, which the test does not set; left as written");
            }

            foreach (var left in rendered.Unsupported)
            {
                notes.Add($"{label}: the prompt's {left} is not converted (only {{{{ name }}}} placeholders are filled); left as written");
            }

            return rendered.Text;
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

        var stem = slug.Length == 0 ? string.Create(CultureInfo.InvariantCulture, $"test-{index + 1}") : slug;
        var id = stem;
        for (var n = 2; !ids.Add(id); n++)
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{stem}-{n}");
        }

        return id;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();
}
