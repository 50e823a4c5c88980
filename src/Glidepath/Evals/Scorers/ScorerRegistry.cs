using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Scorer types by name. The built-ins are registered by <see cref="CreateDefault"/>; a team's own
/// <see cref="IEvaluator"/> plugs in with <see cref="Register"/> and is then usable by type name.
/// </summary>
public sealed class ScorerRegistry
{
    private readonly Dictionary<string, Func<ScorerSpec, ScorerBuildContext, IEvaluator>> _factories = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => _factories.Keys;

    public ScorerRegistry Register(string type, Func<ScorerSpec, ScorerBuildContext, IEvaluator> factory)
    {
        _factories[type] = factory;
        return this;
    }

    public bool Contains(string type) => _factories.ContainsKey(type);

    public IEvaluator Create(ScorerSpec spec, string name, ScorerBuildContext context) =>
        _factories.TryGetValue(spec.Type, out var f)
            ? f(spec with { Options = spec.Options.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal).WithName(name) }, context)
            : throw new BadInputException($"{spec.Location}: unknown scorer type '{spec.Type}'; expected one of: {string.Join(", ", _factories.Keys)}");

    public static ScorerRegistry CreateDefault() => new ScorerRegistry()
        .Register("exact", (s, _) => new ExactScorer(NameOf(s), Bool(s, "ignore_case")))
        .Register("contains", (s, _) => new ContainsScorer(NameOf(s), s.GetStrings("values"), Bool(s, "ignore_case")))
        .Register("not_contains", (s, _) => new NotContainsScorer(NameOf(s), s.GetStrings("values"), Bool(s, "ignore_case")))
        .Register("regex", (s, _) => new RegexScorer(NameOf(s), s.GetString("pattern")))
        .Register("json_valid", (s, _) => new JsonValidScorer(NameOf(s)))
        .Register("json_schema", (s, c) => new JsonSchemaScorer(NameOf(s), s.GetString("schema") is { } path
            ? JsonSchemaScorer.Parse(Encoding.UTF8.GetString(c.ReadFile(path)), path) : null))
        .Register("tool_call", (s, _) => new ToolCallScorer(NameOf(s)))
        .Register("similarity", (s, _) => new SimilarityScorer(NameOf(s), s.GetDouble("threshold") ?? 0.5))
        .Register("max_latency_ms", (s, _) => new MaxLatencyScorer(NameOf(s), Required(s, "value")))
        .Register("max_cost", (s, _) => new MaxCostScorer(NameOf(s), Required(s, "value")))
        .Register("llm_judge", CreateJudge);

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
        var client = c.JudgeClient?.Invoke(model) ?? throw new BadInputException($"{s.Location}: llm_judge needs a judge model client, which this command cannot build");
        var identity = new JudgeIdentity($"{model.Provider}/{model.Name}", ReleaseBuilder.HashHex(rubric));
        var maxConcurrency = (int)(s.GetDouble("max_concurrency") ?? 8);
        return new LlmJudgeScorer(NameOf(s), client, identity, Encoding.UTF8.GetString(rubric), s.GetDouble("pass") ?? 0.7, maxConcurrency,
            c.Cost is null ? null : r => c.Cost(model, r), s.GetDouble("max_spend_usd"));
    }

    internal const string NameKey = "__name";

    private static string NameOf(ScorerSpec s) => s.GetString(NameKey) ?? s.Type;

    private static bool Bool(ScorerSpec s, string key) =>
        s.Options.TryGetValue(key, out var n) && n is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static double Required(ScorerSpec s, string key) =>
        s.GetDouble(key) ?? throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{s.Location}: scorer '{s.Type}' needs {key}: a number"));
}
