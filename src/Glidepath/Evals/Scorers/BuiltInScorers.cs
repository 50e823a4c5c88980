using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// The built-in scorer types, in the order error messages list them: the one place that names them, with their
/// options and factories. <see cref="ScorerRegistry.CreateDefault"/> registers them; docs/schema lists the same names.
/// </summary>
public static class BuiltInScorers
{
    /// <summary>The judge's type name: the manifest also checks its rubric, judge model and pass mark.</summary>
    public const string JudgeType = "llm_judge";

    /// <summary>The tool_call scorer's type name: the manifest explains that it names no tool (each case does).</summary>
    public const string ToolCallType = "tool_call";

    /// <summary>The regex scorer's type name: the manifest also compiles its pattern.</summary>
    public const string RegexType = "regex";

    public static IReadOnlyList<ScorerType> All { get; } =
    [
        new("exact", (s, _) => new ExactScorer(NameOf(s), Bool(s, "ignore_case"))) { Options = ["ignore_case", "weight"], NeedsReference = true, Reads = _ => new(["exact"], false) },
        new("contains", (s, _) => new ContainsScorer(NameOf(s), s.GetStrings("values"), Bool(s, "ignore_case"))) { Options = ["values", "ignore_case", "weight"], Reads = s => s.GetStrings("values").Count > 0 ? new([], true) : new(["contains", "icontains"], false) },
        new("not_contains", (s, _) => new NotContainsScorer(NameOf(s), s.GetStrings("values"), Bool(s, "ignore_case"))) { Options = ["values", "ignore_case", "weight"], Reads = s => s.GetStrings("values").Count > 0 ? new([], true) : new(["not_contains"], false) },
        new(RegexType, (s, _) => new RegexScorer(NameOf(s), s.GetString("pattern"))) { Options = ["pattern", "weight"], Reads = s => s.GetString("pattern") is null ? new(["regex"], false) : new([], true) },
        new("json_valid", (s, _) => new JsonValidScorer(NameOf(s))) { Options = ["weight"], Reads = _ => new(["json"], true) },
        new("json_schema", (s, c) => new JsonSchemaScorer(NameOf(s), s.GetString("schema") is { } path
            ? JsonSchemaScorer.Parse(Encoding.UTF8.GetString(c.ReadFile(path)), path) : null)) { Options = ["schema", "weight"], Reads = s => s.GetString("schema") is null ? new(["json_schema"], false) : new([], true) },
        new(ToolCallType, (s, _) => new ToolCallScorer(NameOf(s))) { Options = ["weight"], NeedsReference = true, Reads = _ => new(["tool_call"], false) },
        new("similarity", (s, _) => new SimilarityScorer(NameOf(s), s.GetDouble("threshold") ?? 0.5)) { Options = ["threshold", "weight"], NeedsReference = true, Reads = _ => new(["reference", "exact"], false) },
        new("max_latency_ms", (s, _) => new MaxLatencyScorer(NameOf(s), Required(s, "value"))) { Options = ["value", "weight"], Reads = _ => new([], true) },
        new("max_cost", (s, _) => new MaxCostScorer(NameOf(s), Required(s, "value"))) { Options = ["value", "weight"], Reads = _ => new([], true) },
        new(JudgeType, CreateJudge) { Options = ["rubric", "model", "pass", "weight", "max_concurrency", "max_spend_usd"], Reads = _ => new(["rubric", "reference"], true) },
    ];

    /// <summary>The judge's model, read from a scorer's <c>model:</c> option.</summary>
    public static ModelSpec JudgeModel(ScorerSpec spec)
    {
        if (!spec.Options.TryGetValue("model", out var node) || node is not JsonObject m ||
            m["provider"]?.GetValue<string>() is not { } provider || m["name"]?.GetValue<string>() is not { } name)
        {
            throw new BadInputException($"{spec.Location}: llm_judge needs model: {{ provider, name }}");
        }

        var p = m["parameters"] as JsonObject;
        return new ModelSpec
        {
            Provider = provider,
            Name = name,
            Parameters = new ModelParameters
            {
                Temperature = p?["temperature"]?.GetValue<double>(),
                MaxTokens = p?["max_tokens"]?.GetValue<int>(),
                Seed = p?["seed"]?.GetValue<long>(),
            },
            Options = (m["options"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal)
                ?? new Dictionary<string, JsonNode?>(),
        };
    }

    private static LlmJudgeScorer CreateJudge(ScorerSpec s, ScorerBuildContext c)
    {
        var rubricPath = s.GetString("rubric") ?? throw new BadInputException($"{s.Location}: llm_judge needs rubric: a file path");
        var rubric = c.ReadFile(rubricPath);
        var model = JudgeModel(s);
        var clients = c.JudgeClient ?? throw new BadInputException($"{s.Location}: llm_judge needs a judge model client, which this command cannot build");
        var identity = new JudgeIdentity($"{model.Provider}/{model.Name}", ReleaseBuilder.HashHex(rubric));
        var maxConcurrency = (int)(s.GetDouble("max_concurrency") ?? 8);
        return new LlmJudgeScorer(NameOf(s), trial => clients(model, trial), identity, Encoding.UTF8.GetString(rubric), s.GetDouble("pass") ?? 0.7, maxConcurrency,
            c.Cost is null ? null : r => c.Cost(model, r), s.GetDouble("max_spend_usd"), JudgeSampling.Temperature(model))
        {
            Simulated = string.Equals(model.Provider, "sim", StringComparison.Ordinal),
        };
    }

    private static string NameOf(ScorerSpec s) => s.GetString(ScorerRegistry.NameKey) ?? s.Type;

    private static bool Bool(ScorerSpec s, string key) =>
        s.Options.TryGetValue(key, out var n) && n is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static double Required(ScorerSpec s, string key) =>
        s.GetDouble(key) ?? throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{s.Location}: scorer '{s.Type}' needs {key}: a number"));
}
