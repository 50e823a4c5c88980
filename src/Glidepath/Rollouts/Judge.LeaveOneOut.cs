namespace Glidepath.Rollouts;

/// <summary>
/// The harm side of every interval is computed without each seat's dominant harmful subject group: in a seat (the canary,
/// or stable), the group furthest from the seat's own mean in the harmful direction (the most errors, the slowest or
/// dearest answers, the lowest scores) when it holds more of that seat's variance than all its other groups together. A
/// group so found is left out of both seats. The safe side keeps every group.
/// </summary>
/// <remarks>
/// Why (outside trials drift3, H3, and drift4, the mirror case): the variance is over subject groups, so one subject whose
/// requests all fail (a client the provider answers with 500s: a huge context, a malformed tool schema) is one group with
/// a huge residual. After the cap of heavy subjects it still held about 97% of its seat's variance. On the canary's (the
/// recent window's) side it kept a real 0 → 3.6% rise among 300 honest users unclear for the whole window; on stable's (the
/// reference days') side it did the same and, worse, raised stable's rate, so the same rise read −0.0021.
/// <para>
/// What it guarantees. The harm side compares the two seats' subjects without the one subject group in each that alone
/// carries most of its spread: a harm verdict says the canary's other subjects fare worse than stable's other subjects
/// beyond the tolerance. One subject group can neither raise a harm verdict by itself nor hide one: a group that holds
/// most of a seat's variance is not there (in either seat: a caller that fails on every day alike is out of both
/// windows); any other holds at most half of it, so it widens the seat's standard error by at most √2. Leaving out the
/// canary's group lowers the canary's estimate, the cautious direction; leaving out stable's lowers stable's, the
/// direction that raises harm, so the two are taken alike on both seats and the false-harm rate is measured, not argued:
/// equal canaries, canaries exactly at the tolerance, failing callers on either arm, on stable only or in the reference
/// days only, seeded (docs/rollouts.md, "The mirror case"; bench CanarySim --suite real m-*, DriftSim --suite subjects
/// gone-*/moved-*). Safety never rests on a group left out: the safe side keeps every group, so a harm carried by one
/// group still keeps the canary from being declared safe. The cost: a harm carried by one dominant subject group alone is
/// not declared harm (nor was it before: its residual widened the interval as much as it moved the estimate).
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
    /// The harm-side bound (the lower end when harm is an increase, else the upper) and the estimate it is around, on the
    /// samples without each seat's dominant harmful group (<see cref="DominantHarmfulGroup"/>) in both seats, with the
    /// share of its seat's variance each group left out held (0 for none). A NaN bound when neither seat has such a group,
    /// or what is left has too few observations or groups for an interval (the full bound is used then). Leaving out the
    /// canary's group alone never puts the bound beyond <paramref name="fullEstimate"/> (it is there only to stop one group
    /// hiding harm); with stable's group left out the bound is taken as it is.
    /// </summary>
    private (double Bound, double Estimate, double CanaryShare, double StableShare) HarmSideWithoutDominantGroups(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail, double fullEstimate)
    {
        var (gc, canaryShare) = DominantHarmfulGroup(rule, canary, tail);
        var (gs, stableShare) = DominantHarmfulGroup(rule, stable, tail);
        if (gc < 0 && gs < 0)
        {
            return (double.NaN, double.NaN, 0, 0);
        }

        var (c, s) = (canary.WithoutGroups(gc, gs), stable.WithoutGroups(gc, gs));
        var (nc, ns) = Counts(rule, c, s);
        if (FewObservations(nc, ns) || (c.Groups is not null && GroupsSeen(rule, c, tail) < 2) || (s.Groups is not null && GroupsSeen(rule, s, tail) < 2))
        {
            return (double.NaN, double.NaN, 0, 0);
        }

        var (estimate, harmVariance, _) = Estimates(rule, c, s, tail);
        if (double.IsNaN(estimate) || double.IsNaN(harmVariance))
        {
            return (double.NaN, double.NaN, 0, 0);
        }

        var radius = ConfidenceSequence.Radius(harmVariance, nc, Policy.AlphaPerMetric, Policy.Rho);
        var bound = rule.HarmIsIncrease ? estimate - radius : estimate + radius;
        if (gs < 0)
        {
            bound = rule.HarmIsIncrease ? Math.Min(bound, fullEstimate) : Math.Max(bound, fullEstimate);
        }

        return (bound, estimate, canaryShare, stableShare);
    }

    /// <summary>
    /// The index of the seat's group with the largest residual Y_g − m·N_g in the harmful direction (m the seat's ΣY/ΣN of
    /// the metric's <see cref="Unit"/>): the most errors, the slowest or dearest answers, the lowest scores beyond what the
    /// group's share of observations explains, when its squared residual is more than <see cref="DominantShare"/> of the
    /// seat's sum of them; and that share. (−1, 0) without groups, with fewer than <see cref="LeaveOneOutGroups"/> groups
    /// that saw the metric, when no group lies on the harmful side, or when the largest is not dominant.
    /// </summary>
    private static (int Group, double Share) DominantHarmfulGroup(MetricRule rule, in ArmSample arm, int tail)
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
        var (best, worst, seen, squares) = (-1, 0.0, 0, 0.0);
        for (var g = 0; g < groups.Length; g++)
        {
            var (yg, ng) = Unit(rule, groups[g], tail);
            if (ng <= 0)
            {
                continue;
            }

            seen++;
            var residual = sign * (yg - (mean * ng));
            squares += residual * residual;
            if (residual > worst)
            {
                (best, worst) = (g, residual);
            }
        }

        return seen >= LeaveOneOutGroups && worst * worst > DominantShare * squares ? (best, worst * worst / squares) : (-1, 0);
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

    /// <summary>canary − stable and its variances on the harm side and the safe side, by the metric's kind.</summary>
    private static (double Estimate, double HarmVariance, double SafeVariance) Estimates(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail) => rule.Kind switch
    {
        MetricKind.Proportion or MetricKind.TailShare => Proportions(rule, canary, stable, tail),
        MetricKind.Mean => Means(rule, canary, stable, ratio: false, bounded: true),
        MetricKind.LogMean => Means(rule, canary, stable, ratio: false, bounded: false),
        _ => Means(rule, canary, stable, ratio: true, bounded: false),
    };
}
