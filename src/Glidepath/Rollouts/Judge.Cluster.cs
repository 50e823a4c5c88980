namespace Glidepath.Rollouts;

/// <summary>
/// The judge's variance over subject groups: Kish's effective number of groups, the cluster-robust (CR1) variance of an
/// arm's estimate, and the degrees of freedom such a variance has, for few groups make it uncertain itself.
/// </summary>
/// <remarks>
/// Why degrees of freedom (2026-12-07): with 40 sticky subjects whose own cost or latency levels differ, half on the
/// canary and <c>min_subjects: 5</c>, a canary exactly at the tolerance was rolled back in 11–15 of 2,000 seeded runs
/// (α/2 = 10) with the bound taken as if the variance were known (CanarySim x-cost-edge-50, x-lat-edge-50). A variance
/// over k groups has about k − 1 degrees of freedom (Cameron and Miller 2015, §VI), so each bound is now a Student t
/// one (<see cref="ConfidenceSequence.Radius(double, double, double, double, double)"/>), each side with the degrees of
/// freedom of its own variance: the arms' parts combined by Welch–Satterthwaite (<see cref="VarianceDf"/>). There are
/// at most 64 subject groups (Traces.SubjectGroups), so a spread between subjects costs width with many subjects too:
/// df ≤ 63 an arm, about ×1.05–1.1 on the radius where that spread is most of the variance (docs/rollouts.md).
/// </remarks>
public sealed partial class Judge
{
    /// <summary>
    /// Kish's effective number of subject groups over the metric's observations, (Σ N_g)² / Σ N_g² with N_g the
    /// denominator of <see cref="Unit"/> in group g: the arm's <see cref="ArmSample.EffectiveSubjects"/> for a metric
    /// every request has (errors), fewer for one only some requests have (answered: latency and cost; feedback, online scores).
    /// </summary>
    private static double EffectiveSubjects(MetricRule rule, in ArmSample arm, int tail)
    {
        if (arm.Groups is not { } groups)
        {
            return 0;
        }

        double sum = 0, squares = 0;
        foreach (var g in groups)
        {
            var n = Unit(rule, g, tail).N;
            sum += n;
            squares += n * n;
        }

        return squares > 0 ? sum * sum / squares : 0;
    }

    /// <summary>
    /// The cluster-robust (CR1) variance of the arm's ratio estimate ΣY/ΣN, over its subject groups: k/(k−1) ·
    /// Σ (Y_g − m·N_g)² / N², with k the groups that saw the metric. NaN without groups or with fewer than two.
    /// </summary>
    /// <param name="oneArmShare">The share of each group's one-arm errors left out of its numerator (error_rate: the part of stable's lead not credited, Judge.OneArm.cs).</param>
    private static double ClusterVariance(MetricRule rule, in ArmSample arm, int tail, double oneArmShare = 0)
    {
        if (arm.Groups is not { } groups || groups.Length > 1024)
        {
            return double.NaN;
        }

        Span<double> ys = stackalloc double[groups.Length];
        Span<double> ns = stackalloc double[groups.Length];
        double sumY = 0, sumN = 0;
        var k = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            (ys[g], ns[g]) = Unit(rule, groups[g], tail);
            ys[g] -= oneArmShare * groups[g].OneArmErrors;
            if (ns[g] > 0)
            {
                sumY += ys[g];
                sumN += ns[g];
                k++;
            }
        }

        if (k < 2 || sumN <= 0)
        {
            return double.NaN;
        }

        var m = sumY / sumN;
        double ss = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            if (ns[g] > 0)
            {
                var r = ys[g] - (m * ns[g]);
                ss += r * r;
            }
        }

        return k / (k - 1.0) * ss / (sumN * sumN);
    }

    private static double AtLeast(double iid, double cluster) => double.IsNaN(cluster) ? iid : Math.Max(iid, cluster);

    /// <summary>
    /// The degrees of freedom of an arm's variance. Taken per request (the cluster-robust one no larger), it rests on many
    /// requests: infinite (known). Taken over subject groups, its part beyond the per-request one (the subjects' spread,
    /// B = cluster − per request) rests on the groups: (Σ Nᵍ²)² / Σ Nᵍ⁴ − 1 degrees of freedom (Kish's count weighted as
    /// the spread's residuals are, by Nᵍ², not Nᵍ), and the per-request part is taken as known, so by Satterthwaite the
    /// whole has df_B · (cluster / B)²: the groups' count when their spread is all of it, growing without bound as the
    /// spread shrinks to what chance alone makes (an arm whose subjects do not differ loses nothing to the correction).
    /// </summary>
    private static double VarianceDf(MetricRule rule, in ArmSample arm, int tail, double iid, double cluster)
    {
        if (double.IsNaN(cluster) || !(cluster > iid) || arm.Groups is not { } groups)
        {
            return double.PositiveInfinity;
        }

        double squares = 0, fourths = 0;
        foreach (var g in groups)
        {
            var n = Unit(rule, g, tail).N;
            squares += n * n;
            fourths += n * n * n * n;
        }

        return SpreadDf(fourths > 0 ? Math.Max((squares * squares / fourths) - 1, 1) : 1, cluster, cluster - iid);
    }

    /// <summary>
    /// The df of a variance <paramref name="total"/> whose part <paramref name="spread"/> rests on <paramref name="groupsDf"/>
    /// degrees of freedom and the rest is known: groupsDf · (total / spread)² (Satterthwaite); infinite without a spread.
    /// The judge's arms (<see cref="VarianceDf"/>) and the plan's (RolloutPlanner) alike.
    /// </summary>
    internal static double SpreadDf(double groupsDf, double total, double spread) =>
        spread > 0 ? groupsDf * (total / spread) * (total / spread) : double.PositiveInfinity;

    /// <summary>
    /// The Welch–Satterthwaite degrees of freedom of <paramref name="total"/>, which is v₁ + v₂ (two independent variance
    /// estimates with df₁ and df₂) or more by a part taken as known (a floor that won a max): total² / (v₁²/df₁ + v₂²/df₂);
    /// infinite when both are known.
    /// </summary>
    internal static double Satterthwaite(double total, double v1, double df1, double v2, double df2)
    {
        var spread = (double.IsPositiveInfinity(df1) ? 0 : v1 * v1 / df1) + (double.IsPositiveInfinity(df2) ? 0 : v2 * v2 / df2);
        return spread > 0 ? total * total / spread : double.PositiveInfinity;
    }

    /// <summary><see cref="Satterthwaite(double, double, double, double, double)"/> of v₁ + v₂.</summary>
    internal static double Satterthwaite(double v1, double df1, double v2, double df2) => Satterthwaite(v1 + v2, v1, df1, v2, df2);

    /// <summary>The degrees of freedom a bound is taken at: <paramref name="df"/>, or infinite (known) under <see cref="JudgePolicy.KnownVariance"/>.</summary>
    private double Df(double df) => Policy.KnownVariance ? double.PositiveInfinity : df;
}
