namespace Glidepath.Rollouts;

/// <summary>
/// The harm side of every interval is computed without a seat's dominant harmful subject group: the group furthest from
/// the seat's own mean in the harmful direction (the most errors, the slowest or dearest answers, the lowest scores) when
/// it holds more of that seat's variance than all its other groups together. The canary's (the recent window's) always;
/// the reference's by the same rule when both seats hold the same subjects (<see cref="JudgePolicy.SeatsShareSubjects"/>:
/// the drift monitor). On a canary stable's group is left out only when it holds more than <see cref="CanaryStableShare"/>
/// of stable's spread (<see cref="JudgePolicy.LeavesOutStableCaller"/>), and then the harm side's α is split between the
/// bounds with and without it (<see cref="JudgePolicy.SplitsStableCallerAlpha"/>; both set for every plan). A group so found is left
/// out of both seats. The safe side keeps every group.
/// </summary>
/// <remarks>
/// Why (outside trials drift3, H3, and drift4, the mirror case): the variance is over subject groups, so one subject whose
/// requests all fail (a client the provider answers with 500s) is one group with a huge residual. After the cap of heavy
/// subjects it still held about 97% of its seat's variance and kept a real 0 → 3.6% rise among 300 honest users unclear
/// for the whole window; in the reference days it did the same and raised the reference's rate, so the rise read −0.0021.
/// <para>
/// What it guarantees. The canary's group: a group that holds most of the seat's variance is not there; any other holds at
/// most half of it, so it widens the seat's standard error by at most √2. Leaving it out lowers the canary's estimate, the
/// cautious direction, and the bound is never put past the full estimate by it. The reference's group lowers the
/// reference's estimate, the direction that raises harm; in the drift monitor a group holds the same subjects in both
/// windows, so those subjects' traffic leaves both, and the false-alert rate is measured on the shapes where it could go
/// wrong, not bounded (docs/rollouts.md, "The mirror case"; DriftSim --suite subjects gone-*/moved-*). A canary's arms hold
/// different subjects under one index, where leaving stable's most extreme group out is a selection with nothing to cancel
/// it: a review measured false harm at 1.4% against α/2 = 0.5% (CanarySim x-cost-edge-50), so there stable's group stays
/// unless it is nearly all of stable's spread:
/// Leaving it out only when it is nearly all of stable's spread (one caller failing every request, or answered at many
/// times the cost), with the harm side's α split between the bound with it and the bound without it, passed a
/// pre-registered bound on false harm and ships (docs/benchmarks.md, "The canary mirror case at 95%, paying for the
/// selection").
/// Safety never rests on a group left out: the safe side keeps every group. The cost: a harm carried by one dominant
/// subject group alone is not declared harm (nor was it before: its residual widened the interval as much as it moved the
/// estimate).
/// </para>
/// </remarks>
public sealed partial class Judge
{
    /// <summary>A seat's groups with observations of the metric needed before one is left out.</summary>
    private const int LeaveOneOutGroups = 3;

    /// <summary>
    /// The share of a seat's squared residuals (its cluster variance) its most harmful group must hold to be left out:
    /// more than all the other groups together. A group below it widens the seat's standard error by at most √2.
    /// </summary>
    public const double DominantShare = 0.5;

    /// <summary>
    /// The share of stable's squared residuals its most harmful group must hold to be left out of a canary's harm side
    /// under <see cref="JudgePolicy.LeavesOutStableCaller"/>: one caller that is nearly all of stable's spread.
    /// </summary>
    public const double CanaryStableShare = 0.95;

    /// <summary>A group's residual no larger than this fraction of the groups' summed totals is rounding, not spread.</summary>
    private const double NoSpread = 1e-9;

    /// <summary>
    /// The harm-side bound (the lower end when harm is an increase, else the upper) and the estimate it is around, on the
    /// samples without each seat's dominant harmful group (<see cref="DominantHarmfulGroup"/>) in both seats, with the
    /// share of its seat's variance each group left out held (0 for none; stable's at more than <see cref="DominantShare"/>
    /// under <see cref="JudgePolicy.SeatsShareSubjects"/>, at more than <see cref="CanaryStableShare"/> under
    /// <see cref="JudgePolicy.LeavesOutStableCaller"/>, and said once,
    /// as the canary's, when it is the same group). A NaN bound
    /// when no group is left out, or what is left has too few observations or groups for an interval (the full bound is used
    /// then). Leaving out the canary's group alone never puts the bound beyond <paramref name="fullEstimate"/>; with the
    /// reference's group left out the bound is taken as it is. Under <see cref="JudgePolicy.SplitsStableCallerAlpha"/> a
    /// canary's harm side with stable's group dominant is <see cref="HarmSideSplit"/>'s.
    /// </summary>
    private (double Bound, double Estimate, double CanaryShare, double StableShare) HarmSideWithoutDominantGroups(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail, double fullEstimate)
    {
        var (gc, canaryShare) = DominantHarmfulGroup(rule, canary, tail);
        var (gs, stableShare) = Policy.SeatsShareSubjects ? DominantHarmfulGroup(rule, stable, tail, DominantShare)
            : Policy.LeavesOutStableCaller ? DominantHarmfulGroup(rule, stable, tail, CanaryStableShare) : (-1, 0);
        if (gs >= 0 && !Policy.SeatsShareSubjects && Policy.SplitsStableCallerAlpha)
        {
            var split = HarmSideSplit(rule, canary, stable, tail, fullEstimate, (gc, canaryShare), (gs, stableShare));
            if (!double.IsNaN(split.Bound))
            {
                return split;
            }

            // Without stable's group no bound can be had: the harm side is the shipped one, at the full α.
            (gs, stableShare) = (-1, 0);
        }

        if (gc < 0 && gs < 0)
        {
            return (double.NaN, double.NaN, 0, 0);
        }

        var (bound, estimate) = HarmBound(rule, canary, stable, tail, gc, gs, Policy.AlphaPerMetric, fullEstimate);

        // One group of the same subjects in both windows is one caller: said once, as the recent window's.
        return double.IsNaN(bound) ? (double.NaN, double.NaN, 0, 0) : (bound, estimate, canaryShare, gs == gc ? 0 : stableShare);
    }

    /// <summary>
    /// Under <see cref="JudgePolicy.SplitsStableCallerAlpha"/>: stable's group <paramref name="stableGroup"/> is
    /// dominant past <see cref="CanaryStableShare"/>, and the harm side's α is split between two bounds, Bonferroni: the
    /// shipped one (stable's group kept, the canary's dominant group left out as always) and the one without stable's
    /// group too, each at α/2; the more harmful of the two is the harm side (harm when either says harm). A NaN bound when
    /// the arms without stable's group allow no bound.
    /// </summary>
    private (double Bound, double Estimate, double CanaryShare, double StableShare) HarmSideSplit(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail, double fullEstimate, (int Group, double Share) canaryGroup, (int Group, double Share) stableGroup)
    {
        var half = Policy.AlphaPerMetric / 2;
        var gc = canaryGroup.Group;
        var without = HarmBound(rule, canary, stable, tail, gc, stableGroup.Group, half, fullEstimate);
        if (double.IsNaN(without.Bound))
        {
            return (double.NaN, double.NaN, 0, 0);
        }

        // The shipped harm side: without the canary's group when one is dominant and a bound can be had so, else every group.
        var kept = gc >= 0 ? HarmBound(rule, canary, stable, tail, gc, -1, half, fullEstimate) : (Bound: double.NaN, Estimate: double.NaN);
        var canaryLeftOut = !double.IsNaN(kept.Bound);
        if (!canaryLeftOut)
        {
            kept = HarmBound(rule, canary, stable, tail, -1, -1, half, fullEstimate);
        }

        var keptWins = rule.HarmIsIncrease ? kept.Bound >= without.Bound : kept.Bound <= without.Bound;
        return keptWins
            ? (kept.Bound, canaryLeftOut ? kept.Estimate : double.NaN, canaryLeftOut ? canaryGroup.Share : 0, 0)
            : (without.Bound, without.Estimate, canaryGroup.Share, stableGroup.Group == gc ? 0 : stableGroup.Share);
    }

    /// <summary>
    /// The harm-side bound at <paramref name="alpha"/> and its estimate on the arms without groups <paramref name="gc"/>
    /// (the canary's) and <paramref name="gs"/> (stable's), −1 for none, in both seats; NaN when what is left has too few
    /// observations or groups for an interval. Without stable's group left out the bound is never put past
    /// <paramref name="fullEstimate"/>.
    /// </summary>
    private (double Bound, double Estimate) HarmBound(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail, int gc, int gs, double alpha, double fullEstimate)
    {
        var (c, s) = (canary.WithoutGroups(gc, gs), stable.WithoutGroups(gc, gs));
        var (nc, ns) = Counts(rule, c, s);
        if (FewObservations(nc, ns) || (c.Groups is not null && GroupsSeen(rule, c, tail) < 2) || (s.Groups is not null && GroupsSeen(rule, s, tail) < 2))
        {
            return (double.NaN, double.NaN);
        }

        var (estimate, harmVariance, _, df, _) = Estimates(rule, c, s, tail);
        if (double.IsNaN(estimate) || double.IsNaN(harmVariance))
        {
            return (double.NaN, double.NaN);
        }

        var radius = ConfidenceSequence.Radius(harmVariance, nc, alpha, Policy.Rho, Df(df));
        var bound = rule.HarmIsIncrease ? estimate - radius : estimate + radius;
        if (gs < 0)
        {
            bound = rule.HarmIsIncrease ? Math.Min(bound, fullEstimate) : Math.Max(bound, fullEstimate);
        }

        return (bound, estimate);
    }

    /// <summary>
    /// The index of the seat's group with the largest residual Y_g − m·N_g in the harmful direction (m the seat's ΣY/ΣN of
    /// the metric's <see cref="Unit"/>): the most errors, the slowest or dearest answers, the lowest scores beyond what the
    /// group's share of observations explains, when its squared residual is more than <paramref name="needed"/> of the
    /// seat's sum of them; and that share. (−1, 0) without groups, with fewer than <see cref="LeaveOneOutGroups"/> groups
    /// that saw the metric, when no group lies on the harmful side, or when the largest is not dominant.
    /// </summary>
    private static (int Group, double Share) DominantHarmfulGroup(MetricRule rule, in ArmSample arm, int tail, double needed = DominantShare)
    {
        if (arm.Groups is not { } groups)
        {
            return (-1, 0);
        }

        var (y, n) = Unit(rule, arm, tail);
        if (n <= 0)
        {
            return (-1, 0);
        }

        var (mean, sign) = (y / n, rule.HarmIsIncrease ? 1.0 : -1.0);
        var (best, worst, seen, squares, scale) = (-1, 0.0, 0, 0.0, 0.0);
        for (var g = 0; g < groups.Length; g++)
        {
            var (yg, ng) = Unit(rule, groups[g], tail);
            if (ng <= 0)
            {
                continue;
            }

            seen++;
            scale += Math.Abs(yg);
            var residual = sign * (yg - (mean * ng));
            squares += residual * residual;
            if (residual > worst)
            {
                (best, worst) = (g, residual);
            }
        }

        // A residual within rounding of the groups' own totals is no spread (every call cost the same: outside trial mirror,
        // L2), so nothing is dominant in it.
        var spread = worst > NoSpread * scale;
        return spread && seen >= LeaveOneOutGroups && worst * worst > needed * squares ? (best, worst * worst / squares) : (-1, 0);
    }

    /// <summary>Groups that saw at least one observation of the metric.</summary>
    private static int GroupsSeen(MetricRule rule, in ArmSample arm, int tail)
    {
        var seen = 0;
        foreach (var g in arm.Groups ?? [])
        {
            seen += Unit(rule, g, tail).N > 0 ? 1 : 0;
        }

        return seen;
    }

    /// <summary>canary − stable, its variances on the harm side and the safe side, and their degrees of freedom (<see cref="VarianceDf"/>), by the metric's kind.</summary>
    private static (double Estimate, double HarmVariance, double SafeVariance, double HarmDf, double SafeDf) Estimates(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail) => rule.Kind switch
    {
        MetricKind.Proportion or MetricKind.TailShare => Proportions(rule, canary, stable, tail),
        MetricKind.Mean => Means(rule, canary, stable, ratio: false, bounded: true),
        MetricKind.LogMean => Means(rule, canary, stable, ratio: false, bounded: false),
        _ => Means(rule, canary, stable, ratio: true, bounded: false),
    };
}
