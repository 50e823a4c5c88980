using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Glidepath.Files;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads a list of scorers (<c>eval.scorers</c>, <c>online.scorers</c>) into <see cref="ScorerSpec"/>s: a known type,
/// the options that type accepts, files that exist, and only reference-free scorers online.
/// </summary>
internal static class ScorersSection
{
    public static List<ScorerSpec> Parse(YamlNodeReader r, YamlNode? node, string where, IFileSource files, bool online)
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
            if (r.Mapping(item, $"an item of {where}") is { } m && Scorer(r, m, where, files, online) is { } spec)
            {
                result.Add(spec with { Location = $"{r.FileName}:{item.Start.Line}:{item.Start.Column}" });
            }
        }

        return result;
    }

    private static ScorerSpec? Scorer(YamlNodeReader r, YamlMappingNode m, string where, IFileSource files, bool online)
    {
        var type = r.String(YamlNodeReader.Get(m, "type"), $"{where}[].type", required: true, parent: m);
        if (type is null)
        {
            return null;
        }

        if (!ScorerCatalog.Options.TryGetValue(type, out var known))
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"unknown scorer type '{type}'; expected one of: {string.Join(", ", ScorerCatalog.Options.Keys)}");
            return null;
        }

        if (online && ScorerCatalog.NeedsReference.Contains(type))
        {
            r.Error(YamlNodeReader.Get(m, "type"), $"scorer '{type}' reads a case's expectations, which live traffic does not have; expected a reference-free scorer online");
        }

        r.CheckKeys(m, $"scorer '{type}'", ["type", .. known]);
        var options = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, v) in r.Entries(m, $"scorer '{type}'", reportOthers: false))
        {
            if (key != "type")
            {
                options[key] = r.Json(v, $"scorer '{type}'.{key}");
            }
        }

        foreach (var fileKey in new[] { "rubric", "schema" })
        {
            if (options.TryGetValue(fileKey, out var f) && f is JsonValue fv && fv.TryGetValue<string>(out var path) && !files.Exists(path))
            {
                r.Error(YamlNodeReader.Get(m, fileKey), $"{fileKey} file '{path}' does not exist; expected a path relative to the manifest");
            }
        }

        if (type == "llm_judge")
        {
            CheckJudge(r, m);
        }

        if (type == "regex" && options.TryGetValue("pattern", out var pat) && pat is JsonValue pv && pv.TryGetValue<string>(out var pattern))
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
