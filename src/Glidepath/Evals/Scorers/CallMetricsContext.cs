using System.Globalization;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>Hands the call's measured latency and cost to scorers (<c>max_latency_ms</c>, <c>max_cost</c>).</summary>
public sealed class CallMetricsContext(double latencyMs, double? costUsd)
    : EvaluationContext(ContextName, string.Create(CultureInfo.InvariantCulture, $"latency_ms={latencyMs:0.#}, cost_usd={costUsd}"))
{
    public const string ContextName = "glidepath.call";

    public double LatencyMs { get; } = latencyMs;

    /// <summary>Null when the model has no price in the manifest.</summary>
    public double? CostUsd { get; } = costUsd;
}
