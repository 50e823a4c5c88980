using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Shadow;

/// <summary>
/// The paired judge's settings, from the same rollout plan the canary judge uses: the same metrics and
/// tolerances (those that exist for a pair), the same confidence split across them, and the plan's min_requests
/// and min_subjects as the pairs and effective subjects a pass needs.
/// </summary>
public sealed record PairedJudgePolicy
{
    /// <summary>The pairwise win rate's tolerance when the plan gives none: the candidate may lose at most 5 points.</summary>
    public const double DefaultPairwiseMaxDrop = 0.05;

    /// <summary>Metrics a pair cannot judge: the callers never see the candidate's answer (no feedback), a tail share
    /// needs the stable arm's own quantile, which the latency ratio of the pairs already covers, and a shadow pair keeps
    /// no count of provider attempts on either side (retry_rate), nor either side's time to first token
    /// (first_token_latency), and no caller reads the candidate's answer, so none can close it early (cancel_rate; a
    /// caller who closed stable's is not mirrored; docs/shadow.md).</summary>
    public static readonly IReadOnlyList<string> NotJudgedInShadow = ["feedback", "latency_p95", "latency_p99", "retry_rate", "first_token_latency", "cancel_rate"];

    public required IReadOnlyList<MetricRule> Rules { get; init; }
    public required double AlphaPerMetric { get; init; }
    public required double Rho { get; init; }
    public required long MinPairs { get; init; }
    public required int MinSubjects { get; init; }

    /// <summary>
    /// The policy for a plan. <paramref name="pairwiseMaxDrop"/> adds the pairwise win rate (judged only when a
    /// pairwise judge is configured); null leaves it out.
    /// </summary>
    public static PairedJudgePolicy From(RolloutPlan plan, double? pairwiseMaxDrop)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var metrics = plan.Metrics.Count > 0 ? plan.Metrics : JudgePolicy.DefaultMetrics;
        var rules = RolloutPlan.KnownMetrics
            .Where(m => metrics.ContainsKey(m) && !NotJudgedInShadow.Contains(m))
            .Select(m => MetricRule.From(m, metrics[m]))
            .ToList();
        if (pairwiseMaxDrop is { } drop)
        {
            rules.Add(new MetricRule(PairedSample.PairwiseMetric, MetricKind.Mean, HarmIsIncrease: false, -drop));
        }

        if (rules.Count == 0)
        {
            rules.AddRange(JudgePolicy.DefaultMetrics.Where(m => !NotJudgedInShadow.Contains(m.Key)).Select(m => MetricRule.From(m.Key, m.Value)));
        }

        var alpha = (1 - plan.Confidence) / rules.Count;
        return new PairedJudgePolicy
        {
            Rules = rules,
            AlphaPerMetric = alpha,
            Rho = ConfidenceSequence.RhoFor(plan.MinRequests, alpha),
            MinPairs = plan.MinRequests,
            MinSubjects = plan.MinSubjects,
        };
    }
}
