namespace Glidepath.Rollouts;

/// <summary>
/// The range bound of a difference of proportions: a rate is never below 0 nor above 1, so canary − stable is at most
/// the canary's rate and at least the canary's rate − 1, whatever stable does. On the side that declares the canary
/// safe the judge also bounds the canary's own rate alone, and keeps the tighter of the two bounds.
/// </summary>
/// <remarks>
/// Why: a stable arm whose variance is large (a few very active subjects failing on their own, on either arm; an outside
/// trial, 2026-12-06) widens the interval of the difference for ever, though the canary alone shows it is inside the
/// tolerance: 2 errors in 3,907 canary requests were "unclear" against max_increase 0.01 at [−0.105, +0.059], an upper
/// end no rate allows (it needs stable's rate below −5%). The guarantee is kept by a union bound: the difference's safe
/// side is computed at α·(1 − <see cref="RangeShare"/>) and the canary-alone bound at α·<see cref="RangeShare"/>, so a
/// harmful canary is declared safe with at most α between them (the harm side is unchanged).
/// </remarks>
public sealed partial class Judge
{
    /// <summary>The share of a proportion's safe-side α spent on the canary-alone bound.</summary>
    public const double RangeShare = 0.1;

    /// <summary>
    /// The canary-alone bound on canary − stable for a proportion, on its safe side: the canary's rate + its radius
    /// (harm is an increase; stable ≥ 0), or the canary's rate − its radius − 1 (harm is a drop; stable ≤ 1). The
    /// canary's variance is taken at the rate that bound would test (the tolerance with stable at 0, or 1 − max_drop
    /// with stable at 1) when that is larger, times its design effect over subject groups, as on the difference's safe side.
    /// </summary>
    private double RangeBound(MetricRule rule, in ArmSample c)
    {
        var (xc, nc, _, vc, designEffect, df) = ArmProportion(rule, c, -1);
        var variance = Math.Max(vc, VarianceAt(rule.HarmIsIncrease ? rule.Threshold : 1 + rule.Threshold, nc, designEffect));
        var radius = ConfidenceSequence.Radius(variance, nc, Policy.AlphaPerMetric * RangeShare, Policy.Rho, Df(df));
        var rate = xc / nc;
        return rule.HarmIsIncrease ? rate + radius : rate - radius - 1;
    }
}
