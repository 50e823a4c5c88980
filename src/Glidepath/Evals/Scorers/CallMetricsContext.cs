using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>Hands the call's measured latency and cost to scorers (<c>max_latency_ms</c>, <c>max_cost</c>).</summary>
/// <remarks>The values are typed properties; no text content is built, since this runs once per scored answer.</remarks>
public sealed class CallMetricsContext(double latencyMs, double? costUsd) : EvaluationContext(ContextName, [])
{
    public const string ContextName = "glidepath.call";

    public double LatencyMs { get; } = latencyMs;

    /// <summary>Null when the model has no price in the manifest.</summary>
    public double? CostUsd { get; } = costUsd;
}
