namespace Glidepath.Manifests;

/// <summary>The built-in scorer types and the option keys each accepts (besides <c>type</c>).</summary>
public static class ScorerCatalog
{
    public static readonly IReadOnlyDictionary<string, string[]> Options = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["exact"] = ["ignore_case", "weight"],
        ["contains"] = ["values", "ignore_case", "weight"],
        ["not_contains"] = ["values", "ignore_case", "weight"],
        ["regex"] = ["pattern", "weight"],
        ["json_valid"] = ["weight"],
        ["json_schema"] = ["schema", "weight"],
        ["tool_call"] = ["weight"],
        ["similarity"] = ["threshold", "weight"],
        ["max_latency_ms"] = ["value", "weight"],
        ["max_cost"] = ["value", "weight"],
        ["llm_judge"] = ["rubric", "model", "pass", "weight", "max_concurrency", "max_spend_usd"],
    };

    /// <summary>Scorers that read a case's <c>expect</c> and so cannot run on live traffic.</summary>
    public static readonly IReadOnlySet<string> NeedsReference = new HashSet<string>(StringComparer.Ordinal) { "exact", "tool_call", "similarity" };
}
