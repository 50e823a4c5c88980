using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// One judged metric: how it is compared, which direction is harmful, and its tolerance on the scale the
/// interval is computed on (a difference, or the log of a ratio).
/// </summary>
/// <param name="Name">The manifest's metric name (error_rate, retry_rate, cancel_rate, latency, first_token_latency, …).</param>
/// <param name="HarmIsIncrease">True when a higher canary value is worse (errors, latency, cost).</param>
/// <param name="Threshold">The tolerance on the interval's scale: +max_increase, −max_drop or +ln(max_ratio).</param>
/// <param name="Quantile">For <see cref="MetricKind.TailShare"/>: the stable arm's quantile that marks a slow request (0.95, 0.99).</param>
public sealed record MetricRule(string Name, MetricKind Kind, bool HarmIsIncrease, double Threshold, double Quantile = 0)
{
    /// <summary>True when the interval is on the log scale and shown as a ratio.</summary>
    public bool IsRatio => Kind is MetricKind.LogMean or MetricKind.RatioOfMeans;

    /// <summary>
    /// The tolerance as the user wrote it: "max_increase 0.01", "max_ratio 1.25", "max_drop 0.03", with every digit the
    /// manifest gave (max_increase 0.00005 is not shown as 0.0001): intervals are printed against it.
    /// </summary>
    public string ToleranceText => IsRatio
        ? $"max_ratio {ThresholdText.Limit(Math.Round(Math.Exp(Threshold), 12))}"
        : HarmIsIncrease
            ? $"max_increase {ThresholdText.Limit(Threshold)}"
            : $"max_drop {ThresholdText.Limit(-Threshold)}";

    /// <summary>Builds the rule for a manifest metric and its tolerance.</summary>
    public static MetricRule From(string name, MetricTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        return name switch
        {
            "error_rate" or "retry_rate" or Judge.CancelRate => new(name, MetricKind.Proportion, true, Required(name, tolerance.MaxIncrease, "max_increase")),
            "latency" or Judge.FirstTokenLatency => new(name, MetricKind.LogMean, true, Math.Log(Required(name, tolerance.MaxRatio, "max_ratio"))),
            "cost_per_call" => new(name, MetricKind.RatioOfMeans, true, Math.Log(Required(name, tolerance.MaxRatio, "max_ratio"))),
            "latency_p95" => new(name, MetricKind.TailShare, true, Required(name, tolerance.MaxIncrease, "max_increase"), 0.95),
            "latency_p99" => new(name, MetricKind.TailShare, true, Required(name, tolerance.MaxIncrease, "max_increase"), 0.99),
            "online_pass_rate" or "feedback" => new(name, MetricKind.Proportion, false, -Required(name, tolerance.MaxDrop, "max_drop")),
            "online_score" => new(name, MetricKind.Mean, false, -Required(name, tolerance.MaxDrop, "max_drop")),
            _ => throw new BadInputException($"rollout metric '{name}' is not known; expected one of {string.Join(", ", RolloutPlan.KnownMetrics)}"),
        };
    }

    private static double Required(string name, double? value, string key) =>
        value ?? throw new BadInputException($"rollout metric '{name}' has no {key}; expected e.g. {name}: {{ {key}: ... }}");
}
