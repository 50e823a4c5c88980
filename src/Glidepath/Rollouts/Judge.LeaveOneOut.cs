namespace Glidepath.Rollouts;

/// <summary>
/// The harm side of every interval is computed without one subject group when that group holds more of the canary seat's
/// variance than all its other groups together: the seat's most harmful group (furthest from the seat's own mean in the
/// harmful direction), left out of both seats. The safe side keeps every group.
/// </summary>
/// <remarks>
/// Why (outside trial drift3, H3): the variance is over subject groups, so one subject whose requests all fail (a client
/// the provider answers with 500s: a huge context, a malformed tool schema) is one group with a huge residual. After the
/// cap of heavy subjects it still held about 97% of the recent window's variance, and a real 0 → 3.6% rise among 300
/// honest users read unclear for the whole window, where the same rise without it was alerted after 5–6 minutes.
/// <para>
/// What it guarantees. On the harm side one subject group can neither raise a harm verdict nor hide one by much. A group
/// that holds most of the seat's variance is not there (in either seat: a caller that fails on every day alike is out of
/// the reference too); any other holds at most half of it, so it widens the seat's standard error by at most √2, and,
/// as before, raises the lower bound by at most 1/(2z) standard errors (z the sequence's multiplier, about 4.5 here) however
/// many of its requests fail. Leaving out the seat's most harmful group lowers the seat's estimate, so under no change the
/// harm side's estimate only grows more cautious; the variance that group carried is what it gives up, which the
/// simulations measure (docs/rollouts.md, "One caller's failures"). Safety never rests on a group left out: the safe side
/// keeps every group, so a harm carried by one group still keeps the canary from being declared safe. The cost: a harm
/// carried by one dominant subject group alone is not declared harm (nor was it before: its residual widened the interval
/// as much as it moved the estimate).
/// </para>
/// </remarks>
public sealed partial class Judge
{
    /// <summary>The canary seat's groups with observations of the metric needed before one is left out.</summary>
    private const int LeaveOneOutGroups = 3;

    /// <summary>
    /// The share of the seat's squared residuals (its cluster variance) the most harmful group must hold to be left out:
    /// more than all the other groups together. A group below it widens the seat's standard error by at most √2.
    /// </summary>
    public const double DominantShare = 0.5;

    /// <summary>
    /// The harm-side bound (the lower end when harm is an increase, else the upper) on the samples without the canary
    /// seat's most harmful subject group (<see cref="MostHarmfulGroup"/>) in both seats; NaN when the samples keep no
    /// groups, the seat has fewer than <see cref="LeaveOneOutGroups"/> with observations, no group lies on the harmful
    /// side of the mean, or what is left has too few observations or groups for an interval (the full bound is used then).
    /// </summary>
    private double HarmBoundWithoutWorstGroup(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail)
    {
        var group = MostHarmfulGroup(rule, canary, tail);
        if (group < 0)
        {
            return double.NaN;
        }

        var (c, s) = (canary.WithoutGroup(group), stable.WithoutGroup(group));
        var (nc, ns) = Counts(rule, c, s);
        if (FewObservations(nc, ns) || GroupsSeen(rule, c, tail) < 2 || (s.Groups is not null && GroupsSeen(rule, s, tail) < 2))
        {
            return double.NaN;
        }

        var (estimate, harmVariance, _) = Estimates(rule, c, s, tail);
        if (double.IsNaN(estimate) || double.IsNaN(harmVariance))
        {
            return double.NaN;
        }

        var radius = ConfidenceSequence.Radius(harmVariance, nc, Policy.AlphaPerMetric, Policy.Rho);
        return rule.HarmIsIncrease ? estimate - radius : estimate + radius;
    }

    /// <summary>
    /// The index of the group with the largest residual Y_g − m·N_g in the harmful direction (m the arm's ΣY/ΣN of the
    /// metric's <see cref="Unit"/>): the most errors, the slowest or dearest answers, the lowest scores beyond what the
    /// group's share of observations explains. −1 without groups, with fewer than <see cref="LeaveOneOutGroups"/> groups
    /// that saw the metric, or when no group lies on the harmful side.
    /// </summary>
    private static int MostHarmfulGroup(MetricRule rule, in ArmSample arm, int tail)
    {
        if (arm.Groups is not { } groups)
        {
            return -1;
        }

        var (y, n) = Unit(rule, arm, tail);
        if (n <= 0)
        {
            return -1;
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

        return seen >= LeaveOneOutGroups && worst * worst > DominantShare * squares ? best : -1;
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
