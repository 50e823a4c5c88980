using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    public static List<ScorerSpec> Parse(YamlNodeReader r, YamlNode? node, string where, IFileSource files, ScorerRegistry registry, bool online)
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
            if (r.Mapping(item, $"an item of {where}") is { } m && Scorer(r, m, where, files, registry, online) is { } spec)
            {
                result.Add(spec with { Location = $"{r.FileName}:{item.Start.Line}:{item.Start.Column}" });
            }
        }

        return result;
    }

    private static ScorerSpec? Scorer(YamlNodeReader r, YamlMappingNode m, string where, IFileSource files, ScorerRegistry registry, bool online)
    {
        var type = r.String(YamlNodeReader.Get(m, "type"), $"{where}[].type", required: true, parent: m);
        if (type is null)
        {
            return null;
        }

        if (registry.Find(type) is not { } known)
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"unknown scorer type '{type}'; expected one of: {string.Join(", ", registry.Types)}");
            return null;
        }

        if (online && known.NeedsReference)
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"scorer '{type}' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online");
        }

        if (known.Options is { } keys)
        {
            r.CheckKeys(m, $"scorer '{type}'", ["type", .. keys]);
        }

        var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, v) in r.Entries(m, $"scorer '{type}'", reportOthers: known.Options is null))
        {
            if (key != "type")
            {
                options[key] = r.Json(v, $"scorer '{type}'.{key}");
            }
        }

        foreach (var fileKey in new[] { "rubric", "schema" })
        {
            if (options.TryGetValue(fileKey, out var f) && f is JsonValue fv && fv.TryGetValue<string>(out var path))
            {
                r.RequireFile(YamlNodeReader.Get(m, fileKey), files, path, $"{fileKey} file", "expected a path relative to the manifest");
            }
        }

        if (type == BuiltInScorers.JudgeType)
        {
            CheckJudge(r, m);
        }

        if (type == BuiltInScorers.RegexType && options.TryGetValue("pattern", out var pat) && pat is JsonValue pv && pv.TryGetValue<string>(out var pattern))
        {
            CheckPattern(r, m, pattern);
        }

        return new ScorerSpec { Type = type, Options = options };
    }

    private static void CheckJudge(YamlNodeReader r, YamlMappingNode m)
    {
        if (YamlNodeReader.Get(m, "rubric") is null)
        {
            r.Error(m, "llm_judge needs 'rubric:'; expected a path to a rubric file");
        }

        if (YamlNodeReader.Get(m, "model") is { } judgeModel)
        {
            ModelSection.Parse(r, judgeModel, $"scorer 'llm_judge'.model", m);
        }
        else
        {
            r.Error(m, "llm_judge needs 'model:'; expected { provider, name } of the judge model");
        }

        r.Double(YamlNodeReader.Get(m, "pass"), "pass", 0, 1);
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
