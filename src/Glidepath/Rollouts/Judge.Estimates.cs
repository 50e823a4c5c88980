namespace Glidepath.Rollouts;

/// <summary>
/// The judge's estimates and variances: each metric as ΣY/ΣN over units (requests, or subject groups for the
/// cluster-robust variance), the safe side of proportions at the tolerance boundary, and the tail share read from
/// the stable arm's histogram.
/// </summary>
public sealed partial class Judge
{
    /// <summary>Pseudo-observations of the pooled variance added to each arm's variance, so that a few early
    /// look-alike values cannot make an arm's variance (and the interval) implausibly small.</summary>
    private const double VariancePrior = 10;

    /// <summary>The metric of time to first token of streamed answers, judged like latency over its own sums.</summary>
    public const string FirstTokenLatency = "first_token_latency";

    /// <summary>
    /// The share of an arm's requests the caller closed before the answer ended (499), judged like error_rate. Such a
    /// request is in no latency or cost sum, so abandonment on one arm shows here and not as a faster, cheaper arm.
    /// </summary>
    public const string CancelRate = "cancel_rate";

    /// <summary>Each arm's observations of the metric: the denominators of <see cref="Unit"/>.</summary>
    private static (long Nc, long Ns) Counts(MetricRule rule, in ArmSample c, in ArmSample s) =>
        ((long)Unit(rule, c, -1).N, (long)Unit(rule, s, -1).N);

    /// <summary>
    /// A unit's numerator and denominator for the metric: the metric is ΣY / ΣN over the units. Latency and cost are
    /// over answered requests: a failed call's latency or cost would make a failing canary look fast or cheap. Retries are
    /// over the requests whose provider call was counted (<see cref="ArmSample.ProviderCalls"/>); cancels over every request. Time to first token is
    /// over streams that produced one and did not fail (<see cref="ArmSample.FirstTokenCount"/>): a whole answer has none.
    /// </summary>
    internal static (double Y, double N) Unit(MetricRule rule, in ArmSample a, int tail) => rule.Kind switch
    {
        MetricKind.LogMean when rule.Name == FirstTokenLatency => (a.LogFirstTokenSum, a.FirstTokenCount),
        MetricKind.LogMean => (a.LogLatencySum, a.LatencyCount),
        MetricKind.Mean => (a.OnlineScoreSum, a.OnlineScored),
        MetricKind.RatioOfMeans => (a.CostSum, a.LatencyCount),
        MetricKind.TailShare => (Above(a.LatencyHistogram, tail), a.LatencyCount),
        _ => rule.Name switch
        {
            "error_rate" => (a.Errors, a.Requests),
            "retry_rate" => (a.RetriedCalls, a.ProviderCalls),
            CancelRate => (a.Cancelled, a.Requests),
            "online_pass_rate" => (a.OnlinePassed, a.OnlineScored),
            _ => (a.FeedbackPositive, a.FeedbackCount),
        },
    };

    /// <summary>
    /// One arm's proportion: its count and observations, its rate with half a success and half a failure (so an arm
    /// that has seen no errors yet has a variance above zero), the rate's variance — at least the cluster-robust one over
    /// subject groups, since subjects that differ (a few error-prone users) make requests of one subject alike — and
    /// the design effect, that variance over the per-request one.
    /// </summary>
    private static (double X, double N, double Rate, double Variance, double DesignEffect, double Df) ArmProportion(MetricRule rule, in ArmSample a, int tail)
    {
        var (x, n) = Unit(rule, a, tail);
        var p = (x + 0.5) / (n + 1.0);
        var iid = p * (1 - p) / n;
        var cluster = ClusterVariance(rule, a, tail);
        var v = AtLeast(iid, cluster);
        return (x, n, p, v, v / iid, VarianceDf(rule, a, tail, iid, cluster));
    }

    /// <summary>The variance of an arm's rate over <paramref name="n"/> observations were it <paramref name="rate"/> (kept half an observation off 0 and 1), times its design effect.</summary>
    private static double VarianceAt(double rate, double n, double designEffect)
    {
        var r = Math.Clamp(rate, 0.5 / (n + 1.0), 1 - (0.5 / (n + 1.0)));
        return r * (1 - r) / n * designEffect;
    }

    private static (double Estimate, double HarmVariance, double SafeVariance, double HarmDf, double SafeDf) Proportions(MetricRule rule, in ArmSample c, in ArmSample s, int tail)
    {
        var (xc, nc, _, vc, designEffect, dfc) = ArmProportion(rule, c, tail);
        var (xs, ns, ps, vs, _, dfs) = ArmProportion(rule, s, tail);

        // Stable's lead in errors a caller can cause on one arm, beyond chance, is not credited (Judge.OneArm.cs): stable
        // is judged at its rate without it, here and at the boundaries below, and so is its variance (the share of its
        // one-arm errors not credited taken out of every subject group alike). Until 2026-12-07 the variance stayed that of
        // all its errors: one caller's refusals in a few subjects then widened the interval so much that a real rise in
        // the other errors was unclear, never harm (outside trial ops2, drift: +0.0302 [−0.0948, +0.0689]).
        var uncredited = OneArmUncredited(rule, c, s);
        if (uncredited > 0)
        {
            xs -= uncredited * ns;
            ps -= uncredited;
            var (iid, cluster) = (VarianceAt(ps, ns, 1), ClusterVariance(rule, s, tail, uncredited * ns / s.OneArmErrors));
            vs = AtLeast(iid, cluster);
            dfs = VarianceDf(rule, s, tail, iid, cluster);
        }

        // An arm whose rate happens to sit near 0 or 1 (no errors yet, every answer passed) shrinks its own variance
        // estimate and with it the interval; the pooled rate, as if both arms were equal, does not.
        var pooled = (xc + xs + 1.0) / (nc + ns + 2.0);
        var pooledVariance = pooled * (1 - pooled) * ((1.0 / nc) + (1.0 / ns));
        var harm = Math.Max(vc + vs, pooledVariance);
        var harmDf = Satterthwaite(harm, vc, dfc, vs, dfs);

        // The side that declares the canary safe is a test of "canary = stable + tolerance": its variance is taken
        // there. With rare errors the observed rate (near 0) would make it 2–3× too small; this does not.
        // Each side's degrees of freedom are its own variance's: the safe side's is mostly the canary's at the boundary,
        // which rests on the canary's groups alone (a review: a canary whose few errors sat in one subject was declared
        // safe on the harm side's 88 degrees of freedom, where its own were about 8).
        var boundary = VarianceAt(ps + rule.Threshold, nc, designEffect);
        var safe = Math.Max(harm, boundary + vs);
        var safeDf = boundary + vs > harm ? Satterthwaite(safe, boundary, dfc, vs, dfs) : harmDf;
        return ((xc / nc) - (xs / ns), harm, safe, harmDf, safeDf);
    }

    private static (double Estimate, double HarmVariance, double SafeVariance, double HarmDf, double SafeDf) Means(MetricRule rule, in ArmSample c, in ArmSample s, bool ratio, bool bounded)
    {
        var (sumC, ncD) = Unit(rule, c, -1);
        var (sumS, nsD) = Unit(rule, s, -1);
        long nc = (long)ncD, ns = (long)nsD;
        if (nc < 2 || ns < 2)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var (sqC, sqS) = rule.Kind switch
        {
            MetricKind.LogMean when rule.Name == FirstTokenLatency => (c.LogFirstTokenSquares, s.LogFirstTokenSquares),
            MetricKind.LogMean => (c.LogLatencySquares, s.LogLatencySquares),
            MetricKind.Mean => (c.OnlineScoreSquares, s.OnlineScoreSquares),
            _ => (c.CostSquares, s.CostSquares),
        };

        double mc = sumC / nc, ms = sumS / ns;
        var ssc = Math.Max(sqC - (sumC * mc), 0);
        var sss = Math.Max(sqS - (sumS * ms), 0);
        var pooled = (ssc + sss) / (nc + ns - 2);
        var vc = (ssc + (VariancePrior * pooled)) / (nc - 1 + VariancePrior) / nc;
        var vs = (sss + (VariancePrior * pooled)) / (ns - 1 + VariancePrior) / ns;
        if (bounded)
        {
            // Scores lie in [0, 1]: identical scores on both arms must not give a zero-width interval, so each arm's
            // variance is at least that of a proportion with the same mean and half a pseudo-observation each way.
            double fc = (sumC + 0.5) / (nc + 1.0), fs = (sumS + 0.5) / (ns + 1.0);
            vc = Math.Max(vc, fc * (1 - fc) / (nc + 1.0) / nc);
            vs = Math.Max(vs, fs * (1 - fs) / (ns + 1.0) / ns);
        }

        var (iidC, iidS) = (vc, vs);
        var (clusterC, clusterS) = (ClusterVariance(rule, c, -1), ClusterVariance(rule, s, -1));
        vc = AtLeast(vc, clusterC);
        vs = AtLeast(vs, clusterS);
        var (dfc, dfs) = (VarianceDf(rule, c, -1, iidC, clusterC), VarianceDf(rule, s, -1, iidS, clusterS));
        if (!ratio)
        {
            var df = Satterthwaite(vc, dfc, vs, dfs);
            return (mc - ms, vc + vs, vc + vs, df, df);
        }

        if (mc <= 0 || ms <= 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        // Delta method: Var(ln m̂) ≈ Var(m̂) / m².
        var (relC, relS) = (vc / (mc * mc), vs / (ms * ms));
        var harm = relC + relS;
        var harmDf = Satterthwaite(relC, dfc, relS, dfs);
        var safeC = SafeRelativeVariance(vc, iidC, mc, nc, sss, ms, ns);
        return safeC + relS > harm
            ? (Math.Log(mc / ms), harm, safeC + relS, harmDf, Satterthwaite(safeC, dfc, relS, dfs))
            : (Math.Log(mc / ms), harm, harm, harmDf, harmDf);
    }

    /// <summary>
    /// The canary's Var(ln m̂) on the side that declares a ratio safe, a test of "canary = stable × tolerance": a change
    /// of scale keeps the coefficient of variation, so the canary's relative spread is taken as at least the stable
    /// arm's (its per-observation CV² / the canary's n, times the canary's design effect from its subject groups). With a
    /// skewed cost the canary's own sample mean and variance rise and fall together: one that has not yet drawn a large
    /// bill looks cheap and certain at once, and its interval fell under the tolerance early (an outside trial,
    /// 2026-12-05: a canary at exactly ×1.15 with Pareto α 1.5 costs was declared safe in 1.02% of runs against
    /// α/2 = 0.357%). The stable arm is larger, sees more of the tail, and is not the canary's draw.
    /// </summary>
    private static double SafeRelativeVariance(double vc, double iidC, double mc, long nc, double sss, double ms, long ns)
    {
        var own = vc / (mc * mc);
        var stableCv2 = sss / (ns - 1) / (ms * ms);
        var designEffect = iidC > 0 ? vc / iidC : 1;
        return Math.Max(own, stableCv2 / nc * designEffect);
    }

    /// <summary>
    /// canary − stable on the judge's scale (a difference, or the log of a ratio) without variance or interval: for the
    /// estimate before the cap of heavy subjects. NaN where the metric has no estimate.
    /// </summary>
    private static double PointEstimate(MetricRule rule, in ArmSample canary, in ArmSample stable)
    {
        var tail = rule.Kind == MetricKind.TailShare ? TailBucket(stable.LatencyHistogram, rule.Quantile) : -1;
        var (yc, nc) = Unit(rule, canary, tail);
        var (ys, ns) = Unit(rule, stable, tail);
        if (nc <= 0 || ns <= 0)
        {
            return double.NaN;
        }

        return rule.Kind == MetricKind.RatioOfMeans
            ? yc > 0 && ys > 0 ? Math.Log(yc / nc / (ys / ns)) : double.NaN
            : (yc / nc) - (ys / ns) + OneArmUncredited(rule, canary, stable);
    }

    /// <summary>An estimate on the scale evidence shows: a ratio for latency and cost, the difference otherwise; null for NaN.</summary>
    private static double? Shown(MetricRule rule, double estimate) =>
        double.IsNaN(estimate) ? null : rule.IsRatio ? Math.Exp(estimate) : estimate;

    /// <summary>The histogram bucket holding the stable arm's <paramref name="quantile"/>; −1 without a histogram.</summary>
    internal static int TailBucket(long[]? histogram, double quantile)
    {
        if (histogram is null || histogram.Length == 0)
        {
            return -1;
        }

        long total = 0;
        foreach (var h in histogram)
        {
            total += h;
        }

        if (total <= 0)
        {
            return -1;
        }

        long cumulative = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            cumulative += histogram[i];
            if (cumulative >= quantile * total)
            {
                return i;
            }
        }

        return histogram.Length - 1;
    }

    /// <summary>Answered requests in buckets above <paramref name="bucket"/>: slower than the stable arm's quantile.</summary>
    private static long Above(long[]? histogram, int bucket)
    {
        if (histogram is null || bucket < 0)
        {
            return 0;
        }

        long n = 0;
        for (var i = bucket + 1; i < histogram.Length; i++)
        {
            n += histogram[i];
        }

        return n;
    }
}
