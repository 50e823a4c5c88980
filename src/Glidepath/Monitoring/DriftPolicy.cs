using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// What the drift monitor compares and how: the metric rules (the rollout plan's tolerances, with defaults for
/// the metrics it does not name), the confidence, and the two windows.
/// </summary>
public sealed record DriftPolicy
{
    /// <summary>Tolerances used for a metric the manifest's <c>rollout.metrics</c> does not name.</summary>
    public static readonly IReadOnlyDictionary<string, MetricTolerance> DefaultMetrics = new Dictionary<string, MetricTolerance>
    {
        ["error_rate"] = new() { MaxIncrease = 0.01 },
        ["latency"] = new() { MaxRatio = 1.25 },
        ["cost_per_call"] = new() { MaxRatio = 1.15 },
        ["online_score"] = new() { MaxDrop = 0.03 },
        ["online_pass_rate"] = new() { MaxDrop = 0.03 },
        ["feedback"] = new() { MaxDrop = 0.05 },
    };

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(1);

    /// <summary>The judge's policy: its rules, α per metric and mixing parameter are what the monitor reuses.</summary>
    public required JudgePolicy Judge { get; init; }

    /// <summary>How far back "recent" reaches from now.</summary>
    public TimeSpan RecentWindow { get; init; } = DefaultWindow;

    /// <summary>How long after the release became stable its reference window lasts.</summary>
    public TimeSpan ReferenceWindow { get; init; } = DefaultWindow;

    /// <summary>The policy for a manifest: every known metric, tolerances from <c>rollout.metrics</c> where given.</summary>
    public static DriftPolicy From(Manifest manifest, TimeSpan? recentWindow = null, TimeSpan? referenceWindow = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var plan = manifest.Rollout ?? new RolloutPlan();
        var metrics = new Dictionary<string, MetricTolerance>(DefaultMetrics, StringComparer.Ordinal);
        foreach (var (name, tolerance) in plan.Metrics)
        {
            metrics[name] = tolerance;
        }

        var rules = RolloutPlan.KnownMetrics.Where(metrics.ContainsKey).Select(m => MetricRule.From(m, metrics[m])).ToList();
        var alpha = (1 - plan.Confidence) / rules.Count;
        return new DriftPolicy
        {
            Judge = new JudgePolicy
            {
                Rules = rules,
                AlphaPerMetric = alpha,
                Rho = ConfidenceSequence.RhoFor(plan.MinRequests, alpha),
                MinRequests = plan.MinRequests,
                MaxDuration = TimeSpan.MaxValue,
                RollBackWhenInconclusive = false,
            },
            RecentWindow = recentWindow ?? DefaultWindow,
            ReferenceWindow = referenceWindow ?? DefaultWindow,
        };
    }
}
