using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>One metric's need at one step: observations for a safe decision, and the smallest harm it then catches.</summary>
/// <param name="CanaryRequests">Canary requests that give those observations (online and feedback metrics see a share of requests); null when never.</param>
/// <param name="CatchesBeyond">With the step's canary requests, a change at least this large (on the metric's scale: a difference, or a ratio) is rolled back about half the time by the step's end.</param>
public sealed record PlannedMetric(string Metric, long? CanaryRequests, double? CatchesBeyond, string ToleranceText);

/// <summary>What one step needs when the canary is as good as stable: canary and total requests, and which metric sets it.</summary>
public sealed record PlannedStep(double Weight, long? CanaryRequests, long? TotalRequests, string LimitingMetric, IReadOnlyList<PlannedMetric> Metrics);

/// <summary>
/// How long a rollout will take: for each step below 100%, the canary requests the judge needs before every metric's
/// interval, computed exactly as the judge computes it (the same confidence sequence, α, ρ and safe-side variance),
/// lies inside its tolerance when the canary is as good as stable — and the smallest regression each step then
/// catches. Per-request variances: with sticky subjects that differ a step needs more (docs/rollouts.md).
/// The figure assumes the canary's estimate sits exactly at stable's value; it is about the median step, not a bound
/// (seeded A/A simulation: 1 step in 10 needs 1.8× or more): a real estimate wanders, and a step where it lies on the
/// unfavourable side (or where every metric must be safe at once with several near their tolerance) takes longer.
/// </summary>
public static class RolloutPlanner
{
    private const long Never = 1L << 40;

    public static IReadOnlyList<PlannedStep> Plan(RolloutPlan plan, StableProfile stable)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stable);
        var policy = JudgePolicy.From(plan);
        var steps = new List<PlannedStep>();
        foreach (var percent in plan.Steps.Where(s => s < 100))
        {
            var w = percent / 100;
            var stablePerCanary = (1 - w) / w;
            var needs = new List<(MetricRule Rule, long? Requests, double PerRequest, double Vc, double Vs)>();
            foreach (var rule in policy.Rules)
            {
                var (perRequest, vc, vs) = Spread(rule, stable);
                var n = perRequest <= 0 ? (long?)null : Observations(vc, vs, stablePerCanary, Math.Abs(rule.Threshold), policy);
                needs.Add((rule, n is { } obs ? (long)Math.Ceiling(obs / perRequest) : null, perRequest, vc, vs));
            }

            // The online metrics without a sample (no scorer, no feedback), and retry_rate without a provider call Glidepath
            // counts (an app's own client), are no_data and do not hold a step. first_token_latency without streams is
            // not_enough_data (an arm without a first token is no evidence of a fast one): the step never advances.
            var judged = needs.Where(x => x.PerRequest > 0 || x.Rule.Name == Judge.FirstTokenLatency).ToList();
            var limiting = judged.Count == 0 ? default : judged.MaxBy(x => x.Requests ?? long.MaxValue);
            long? canary = judged.Any(x => x.Requests is null) ? null : Math.Max(plan.MinRequests, limiting.Requests ?? 0);
            var metrics = needs.Select(x => new PlannedMetric(
                x.Rule.Name,
                x.Requests,
                canary is { } c && x.PerRequest > 0 ? Catches(x.Rule, x.Vc, x.Vs, stablePerCanary, c * x.PerRequest, policy) : null,
                x.Rule.ToleranceText)).ToList();
            steps.Add(new PlannedStep(percent, canary, canary is { } k ? (long)Math.Ceiling(k / w) : null, judged.Count == 0 || canary == plan.MinRequests ? "min_requests" : limiting.Rule.Name, metrics));
        }

        return steps;
    }

    /// <summary>Observations per request, and the per-observation variance on each arm at the safe side under no change.</summary>
    private static (double PerRequest, double Canary, double Stable) Spread(MetricRule rule, StableProfile s)
    {
        static double Bernoulli(double p) => Math.Clamp(p, 1e-6, 1 - 1e-6) * (1 - Math.Clamp(p, 1e-6, 1 - 1e-6));
        return rule.Kind switch
        {
            MetricKind.LogMean when rule.Name == Judge.FirstTokenLatency => (s.FirstTokenShare, s.LogFirstTokenVariance, s.LogFirstTokenVariance),
            MetricKind.LogMean => (Answered(s), s.LogLatencyVariance, s.LogLatencyVariance),
            MetricKind.RatioOfMeans => (s.CostCv2 > 0 ? Answered(s) : 0, s.CostCv2, s.CostCv2),
            MetricKind.Mean => (s.OnlineSampleRate, s.OnlineScoreVariance, s.OnlineScoreVariance),
            MetricKind.TailShare => (Answered(s), Bernoulli(1 - rule.Quantile + rule.Threshold), Bernoulli(1 - rule.Quantile)),
            _ => rule.Name switch
            {
                "error_rate" => (1, Bernoulli(s.ErrorRate + rule.Threshold), Bernoulli(s.ErrorRate)),
                "retry_rate" => (s.ProviderCallShare, Bernoulli(s.RetryRate + rule.Threshold), Bernoulli(s.RetryRate)),
                Judge.CancelRate => (1, Bernoulli(s.CancelRate + rule.Threshold), Bernoulli(s.CancelRate)),
                "online_pass_rate" => (s.OnlineSampleRate, Bernoulli(s.OnlinePassRate + rule.Threshold), Bernoulli(s.OnlinePassRate)),
                _ => (s.FeedbackShare, Bernoulli(s.FeedbackPositiveRate + rule.Threshold), Bernoulli(s.FeedbackPositiveRate)),
            },
        };
    }

    /// <summary>The share of requests answered: latency and cost are over these (not errors, not cancelled by the caller).</summary>
    private static double Answered(StableProfile s) => Math.Max(1 - s.ErrorRate - s.CancelRate, 0);

    private static double Radius(double vc, double vs, double stablePerCanary, double n, JudgePolicy policy) =>
        ConfidenceSequence.Radius((vc / n) + (vs / (n * stablePerCanary)), n, policy.AlphaPerMetric, policy.Rho);

    /// <summary>The fewest canary observations whose radius is below the margin (the estimate is 0 under no change).</summary>
    private static long? Observations(double vc, double vs, double stablePerCanary, double margin, JudgePolicy policy)
    {
        long lo = JudgePolicy.MinObservations, hi = lo;
        while (Radius(vc, vs, stablePerCanary, hi, policy) >= margin)
        {
            lo = hi;
            hi *= 2;
            if (hi > Never)
            {
                return null;
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Radius(vc, vs, stablePerCanary, mid, policy) < margin)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>Tolerance + radius at n observations, on the metric's display scale.</summary>
    private static double Catches(MetricRule rule, double vc, double vs, double stablePerCanary, double n, JudgePolicy policy)
    {
        var radius = Radius(vc, vs, stablePerCanary, Math.Max(n, 1), policy);
        var edge = rule.HarmIsIncrease ? rule.Threshold + radius : rule.Threshold - radius;
        return rule.IsRatio ? Math.Exp(edge) : edge;
    }
}
