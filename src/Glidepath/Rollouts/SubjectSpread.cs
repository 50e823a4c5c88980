using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// How much a metric differs between an environment's subjects beyond chance: the part of the judge's cluster-robust
/// variance that more requests from the same subjects do not shrink. Estimated from the stable release's stored
/// aggregates per subject group (the same day of traffic <see cref="SubjectReach"/> reads), after the judge's cap of heavy
/// groups, so that <see cref="RolloutPlanner"/> paces a step with the variance the judge will use (trial netfalse M1: with
/// 300 sticky users, a client bug in some users' requests on both arms alike kept an honest A/A canary's error_rate
/// interval at ±0.024, never inside max_increase 0.02, while the plan, per request, promised 3.5 minutes).
/// </summary>
/// <remarks>
/// Method. Over the groups g of the capped day (Yᵍ, Nᵍ the metric's numerator and observations, m = ΣY/ΣN), the judge's
/// CR1 variance is k/(k−1)·Σ(Yᵍ − m·Nᵍ)²/N². Its expectation is the spread of the groups' own rates, Σ Nᵍ²(μᵍ − m)²/N²,
/// plus the chance within each group, Σ Nᵍσᵍ²/N² (σᵍ² the group's own variance per observation: pᵍ(1 − pᵍ) for a
/// rate). The first part, the <em>between</em> variance B, does not fall as requests grow. An arm that gets a share s of
/// the subjects holds about s of them, each with its own deviation from m, so its B is about B/s (Σᵢ rᵢ²dᵢ² over its
/// subjects, over (Σᵢ rᵢ)²; <see cref="SubjectReach.Scale"/> computes it for the cap and the day's layout of subjects).
/// With rates alike in every group, or groups that differ no more than chance would make them (<see cref="Significance"/>),
/// B is 0 and the plan is the per-request one.
/// </remarks>
public static class SubjectSpread
{
    /// <summary>Standard deviations beyond chance the groups' residuals must lie before their spread is taken as real.</summary>
    public const double Significance = 3;

    /// <summary>
    /// The between variance B of <paramref name="rule"/>'s estimate over the whole of <paramref name="day"/>'s traffic (its
    /// subject groups capped as the judge caps them), on the judge's scale (a rate or mean; for cost per call relative to
    /// its mean, as the judge's log scale): 0 without subject groups, with fewer than two groups or
    /// <see cref="JudgePolicy.MinObservations"/> observations, or when the groups differ no more than chance.
    /// </summary>
    public static double Between(MetricRule rule, in ArmSample day)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var capped = day.CapSubjects();
        if (capped.Groups is not { Length: > 1 } groups)
        {
            return 0;
        }

        var tail = rule.Kind == MetricKind.TailShare ? Judge.TailBucket(capped.LatencyHistogram, rule.Quantile) : -1;
        if (rule.Kind == MetricKind.TailShare && tail < 0)
        {
            return 0;
        }

        var (y, n) = Judge.Unit(rule, capped, tail);
        if (n < JudgePolicy.MinObservations)
        {
            return 0;
        }

        var m = y / n;
        double residuals = 0, withinSquares = 0, sizes = 0;
        var k = 0;
        foreach (var g in groups)
        {
            var (yg, ng) = Judge.Unit(rule, g, tail);
            if (ng <= 0)
            {
                continue;
            }

            k++;
            var r = yg - (m * ng);
            residuals += r * r;
            withinSquares += ng > 1 ? Math.Max(Judge.Squares(rule, g) - (yg * yg / ng), 0) : 0;
            sizes += ng * ng;
        }

        if (k < 2)
        {
            return 0;
        }

        // Chance alone: each observation's variance within its group (a rate's m(1 − m); a mean's pooled within-group
        // variance), over every observation.
        var perObservation = rule.Kind is MetricKind.Proportion or MetricKind.TailShare
            ? Math.Clamp(m, 0, 1) * (1 - Math.Clamp(m, 0, 1))
            : n > k ? withinSquares / (n - k) : 0;
        var chance = n * perObservation;
        var cr1 = k / (k - 1.0) * residuals;
        // A spread is taken only when the groups differ beyond chance by far: their residuals over chance exceed 1 by
        // more than Significance standard deviations of that ratio (√(2/k) over the groups' Kish count), or noise in a
        // small day would be read as a floor, and divided by a small step's share.
        var effective = n * n / sizes;
        if (!(chance > 0) || cr1 / chance <= 1 + (Significance * Math.Sqrt(2 / effective)))
        {
            return 0;
        }

        var between = (cr1 - chance) / (n * n);
        return rule.Kind == MetricKind.RatioOfMeans ? m > 0 ? between / (m * m) : 0 : between;
    }

    /// <summary>What the subjects of a metric differ in, in words: "error rates" for error_rate.</summary>
    public static string Differ(string metric) => metric switch
    {
        "error_rate" => "error rates",
        "retry_rate" => "retry rates",
        Judge.CancelRate => "cancel rates",
        "latency" => "latencies",
        Judge.FirstTokenLatency => "first-token latencies",
        "cost_per_call" => "costs per call",
        "latency_p95" or "latency_p99" => "shares of slow answers",
        "online_pass_rate" => "online pass rates",
        "online_score" => "online scores",
        _ => "votes",
    };

    /// <summary>An interval's half-width on the metric's display scale: "±0.024" for a difference, "×/÷1.083" for a ratio (as <see cref="MetricEvidence.HalfWidthText"/>).</summary>
    public static string WidthText(MetricRule rule, double radius)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.IsRatio
            ? string.Create(CultureInfo.InvariantCulture, $"×/÷{Math.Exp(radius):0.000}")
            : string.Create(CultureInfo.InvariantCulture, $"±{radius:0.000#}");
    }

    /// <summary>
    /// "widen max_increase to about 0.027": the tolerance (on the judge's scale, a magnitude) the metric needs, rounded up
    /// to two significant digits (a ratio to two decimals), in the words and units of the manifest's key.
    /// </summary>
    public static string WidenText(MetricRule rule, double needed)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var key = rule.ToleranceText.Split(' ')[0];
        return rule.IsRatio
            ? string.Create(CultureInfo.InvariantCulture, $"widen {key} to about {Math.Ceiling(Math.Exp(needed) * 100) / 100:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"widen {key} to about {CeilingTwoDigits(needed)}");
    }

    private static double CeilingTwoDigits(double x)
    {
        if (!(x > 0) || !double.IsFinite(x))
        {
            return x;
        }

        var scale = Math.Pow(10, 1 - (int)Math.Floor(Math.Log10(x)));
        return Math.Ceiling(Math.Round(x * scale, 9)) / scale;
    }
}
