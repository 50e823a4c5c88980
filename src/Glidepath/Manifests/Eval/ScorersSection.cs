using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Glidepath.Errors;
using Glidepath.Evals.Scorers;
using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads a list of scorers (<c>eval.scorers</c>, <c>online.scorers</c>) into <see cref="ScorerSpec"/>s: a type the
/// <see cref="ScorerRegistry"/> knows (built-in or registered in code), the options that type accepts, files that
/// exist, and only reference-free scorers online.
/// </summary>
internal static class ScorersSection
{
    /// <param name="prices">The manifest's <c>prices:</c> (over the built-in ones): a judge's <c>max_spend_usd</c> needs its model priced.</param>
    public static List<ScorerSpec> Parse(YamlNodeReader r, YamlNode? node, string where, IFileSource files, ScorerRegistry registry, bool online,
        IReadOnlyDictionary<string, ModelPrice>? prices = null)
    {
        var result = new List<ScorerSpec>();
        if (YamlNodeReader.IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            r.Error(node, $"{where} must be a list; expected - {{ type: contains }} entries");
            return result;
        }

        foreach (var item in seq.Children)
        {
            if (r.Mapping(item, $"an item of {where}") is { } m && Scorer(r, m, where, files, registry, online, prices) is { } spec)
            {
                result.Add(spec with { Location = $"{r.FileName}:{item.Start.Line}:{item.Start.Column}" });
            }
        }

        return result;
    }

    private static ScorerSpec? Scorer(YamlNodeReader r, YamlMappingNode m, string where, IFileSource files, ScorerRegistry registry, bool online,
        IReadOnlyDictionary<string, ModelPrice>? prices)
    {
        var type = r.String(YamlNodeReader.Get(m, "type"), $"{where}[].type", required: true, parent: m);
        if (type is null)
        {
            return null;
        }

        if (registry.Find(type) is not { } known)
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"unknown scorer type '{type}'; expected one of: {string.Join(", ", registry.Types)}{ClosestName.Suggestion(type, registry.Types)}");
            return null;
        }

        if (online && known.NeedsReference)
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"scorer '{type}' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online");
        }

        if (known.Options is { } keys)
        {
            r.CheckKeys(m, $"scorer '{type}'", ["type", .. keys], type == BuiltInScorers.ToolCallType ? ToolCallHint : null);
        }

        var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, v) in r.Entries(m, $"scorer '{type}'", reportOthers: known.Options is null))
        {
            if (key != "type")
            {
                options[key] = r.Json(v, $"scorer '{type}'.{key}");
            }
        }

        CheckOptionTypes(r, m, type, options, builtIn: known.Options is not null);
        foreach (var fileKey in new[] { "rubric", "schema" })
        {
            if (options.TryGetValue(fileKey, out var f) && f is JsonValue fv && fv.TryGetValue<string>(out var path) &&
                r.RequireFile(YamlNodeReader.Get(m, fileKey), files, path, $"{fileKey} file", "expected a path relative to the manifest") &&
                known.Options is not null)
            {
                ScorerFiles.Check(r, YamlNodeReader.Get(m, fileKey), files, fileKey, path);
            }
        }

        if (type == BuiltInScorers.JudgeType)
        {
            CheckJudge(r, m, prices);
        }

        if (type == BuiltInScorers.RegexType && options.TryGetValue("pattern", out var pat) && pat is JsonValue pv && pv.TryGetValue<string>(out var pattern))
        {
            CheckPattern(r, m, pattern);
        }

        return new ScorerSpec { Type = type, Options = options };
    }

    // { type: tool_call, name: find_order } reads as a check of that tool, but the scorer names none: each case does.
    private static string? ToolCallHint(string key) => key is "name" or "tool" or "tools" or "arguments" or "function"
        ? " (the tool_call scorer names no tool: each case's expect.tool_call names the call it expects, e.g. {\"tool_call\": {\"name\": \"lookup_order\"}}, and eval run and gate check that name against the release's tools before any call)"
        : null;

    private static void CheckJudge(YamlNodeReader r, YamlMappingNode m, IReadOnlyDictionary<string, ModelPrice>? prices)
    {
        if (YamlNodeReader.Get(m, "rubric") is null)
        {
            r.Error(m, "llm_judge needs 'rubric:'; expected a path to a rubric file");
        }

        if (YamlNodeReader.Get(m, "model") is not { } judgeModel)
        {
            r.Error(m, "llm_judge needs 'model:'; expected { provider, name } of the judge model");
            return;
        }

        // The judge's spend is added up from the prices of its calls: for a model with none every call adds nothing, and
        // a limit the author set as a safety cap would never bind (a trial found 21 calls past a $0.0000001 cap).
        if (ModelSection.Parse(r, judgeModel, $"scorer 'llm_judge'.model", m) is { } model &&
            YamlNodeReader.Get(m, "max_spend_usd") is { } spend && new Models.PriceTable(prices).Find(model.Name) is null)
        {
            r.Error(spend, $"max_spend_usd cannot be enforced: the judge model '{model.Name}' has no price, so its calls cost nothing that can be added up; " +
                $"expected its price in prices: (e.g. prices: {{ {model.Name}: {{ input: 1.0, output: 5.0 }} }}, USD per million tokens), or no max_spend_usd");
        }
    }

    /// <summary>
    /// The built-in scorers' options by type and range, where they are declared: a wrong type used to be dropped
    /// silently (<c>values: "x"</c> fell back to the case's own expectations, <c>ignore_case: "yes"</c> to false,
    /// <c>threshold: "0.9"</c> to the default) or to fail the run later without a line. <c>weight</c> is checked for
    /// every scorer: it weighs each one's score.
    /// </summary>
    private static void CheckOptionTypes(YamlNodeReader r, YamlMappingNode m, string type, Dictionary<string, JsonNode?> options, bool builtIn)
    {
        foreach (var (key, value) in options)
        {
            var at = YamlNodeReader.Get(m, key);
            var what = $"scorer '{type}'.{key}";
            switch (builtIn ? key : key == "weight" ? key : "")
            {
                case "weight":
                    if (r.Double(at, what) is <= 0)
                    {
                        r.Error(at, $"{what} is {YamlNodeReader.Found(at)}; expected a number above 0 (a scorer that should not count is left out of the list)");
                    }

                    break;
                case "threshold" or "pass":
                    r.Double(at, what, 0, 1);
                    break;
                case "value" or "max_spend_usd":
                    r.Double(at, what, 0);
                    break;
                case "max_concurrency" when r.Double(at, what) is not null:
                    r.Int(at, what, 1, 1000);
                    break;
                case "ignore_case" when value is not JsonValue b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                    r.Error(at, $"{what} is {YamlNodeReader.Found(at)}; expected true or false");
                    break;
                case "values":
                    Strings(r, at, value, what);
                    break;
                case "pattern" or "rubric" or "schema" when value is not JsonValue text || text.GetValueKind() != JsonValueKind.String:
                    // 42 or true is a scalar YAML reads as a number or a boolean: the scorer, wanting a string, would
                    // drop it and read each case's expectation instead.
                    r.Error(at, $"{what} is {YamlNodeReader.Found(at)}; expected a string{(key == "pattern" ? " (a regular expression; quote it)" : " (a path relative to the manifest)")}");
                    break;
            }
        }

        if (builtIn && type is "max_latency_ms" or "max_cost" && options.GetValueOrDefault("value") is null)
        {
            r.Error(m, $"scorer '{type}' needs value: a number (the limit)");
        }
    }

    private static void Strings(YamlNodeReader r, YamlNode? at, JsonNode? value, string what)
    {
        const string Expected = "expected a list of non-empty strings, e.g. [\"As an AI\"]";
        if (value is not JsonArray list || list.Count == 0)
        {
            // An empty list is no list: the scorer would fall back to each case's own expectations.
            r.Error(at, $"{what} is {(value is JsonArray ? "empty" : YamlNodeReader.Found(at))}; {Expected}");
            return;
        }

        foreach (var item in list)
        {
            if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>().Length == 0)
            {
                r.Error(at, $"{what} has {item?.ToJsonString() ?? "null"} in it; {Expected}");
                return;
            }
        }
    }

    private static void CheckPattern(YamlNodeReader r, YamlMappingNode m, string pattern)
    {
        try
        {
            _ = new Regex(pattern);
        }
        catch (ArgumentException ex)
        {
            r.Error(YamlNodeReader.Get(m, "pattern"), $"pattern is not a valid regular expression ({ex.Message}); expected a .NET regex");
        }
    }
}
