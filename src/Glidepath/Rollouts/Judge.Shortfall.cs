using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Why <see cref="Assess"/> judged nothing for a metric (<see cref="MetricVerdict.NotEnoughData"/>), in words: the same
/// tests in the same order, so the words cannot disagree with the verdict. The rollout's reason groups them per arm;
/// the drift monitor shows them per metric.
/// </summary>
public sealed partial class Judge
{
    /// <summary>True when either arm has fewer than <see cref="JudgePolicy.MinObservations"/> observations of the metric.</summary>
    private static bool FewObservations(long canaryN, long stableN) =>
        canaryN < JudgePolicy.MinObservations || stableN < JudgePolicy.MinObservations;

    /// <summary>
    /// "82 scored requests in the recent window, at least 20 needed on each side", "effective subjects 19.9 in the recent
    /// window, below min_subjects 20": why the metric was not judged, naming each side by <paramref name="canaryName"/> and
    /// <paramref name="stableName"/>; null when <see cref="Assess"/> does not answer not_enough_data.
    /// </summary>
    public string? Shortfall(MetricRule rule, in ArmSample canary, in ArmSample stable, string canaryName, string stableName)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (Assess(rule, canary, stable).Verdict != MetricVerdict.NotEnoughData)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var (nc, ns) = Counts(rule, canary, stable);
        if (FewObservations(nc, ns))
        {
            var sides = new List<string>(2);
            if (nc < JudgePolicy.MinObservations)
            {
                sides.Add(string.Create(inv, $"{nc} {Observations(rule)} in the {canaryName}"));
            }

            if (ns < JudgePolicy.MinObservations)
            {
                sides.Add(string.Create(inv, $"{ns} in the {stableName}"));
            }

            return string.Create(inv, $"{string.Join(" and ", sides)}, at least {JudgePolicy.MinObservations} needed on each side");
        }

        var tail = rule.Kind == MetricKind.TailShare ? TailBucket(stable.LatencyHistogram, rule.Quantile) : -1;
        if (!EnoughSubjects(rule, canary, stable, tail))
        {
            var needed = Math.Max(Policy.MinSubjects, 2);
            var sides = new List<string>(2);
            foreach (var (arm, name) in new[] { (canary, canaryName), (stable, stableName) })
            {
                var effective = arm.Groups is null ? double.PositiveInfinity : EffectiveSubjects(rule, arm, tail);
                if (effective < needed)
                {
                    sides.Add(string.Create(inv, $"{effective:0.#} in the {name}"));
                }
            }

            return string.Create(inv, $"effective subjects behind its {Observations(rule)} {string.Join(" and ", sides)}, below min_subjects {needed} (Kish's count: a few very active subjects count as few)");
        }

        if (rule.Kind == MetricKind.TailShare && tail < 0)
        {
            return string.Create(inv, $"no latency histogram in the {stableName} to find its p{rule.Quantile * 100:0}");
        }

        return "no interval could be formed from these observations";
    }

    /// <summary>What one observation of the metric is.</summary>
    private static string Observations(MetricRule rule) => rule.Name switch
    {
        "error_rate" or CancelRate => "requests",
        "retry_rate" => "provider calls",
        "online_score" or "online_pass_rate" => "scored requests",
        "feedback" => "rated requests",
        FirstTokenLatency => "answered streams",
        _ => "answered requests",
    };
}
