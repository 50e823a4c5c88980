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
/// one (<see cref="ConfidenceSequence.Radius(double, double, double, double, double)"/>), with the two arms' degrees of
/// freedom combined by Welch–Satterthwaite. With hundreds of subjects it changes nothing measurable.
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
    /// The degrees of freedom of an arm's variance: its effective subject groups (Kish, over the metric's observations)
    /// less one when the cluster-robust variance over them is the one taken, for a variance estimated from so few groups
    /// is itself uncertain; infinite (known) when the per-request one is taken, estimated over many requests.
    /// </summary>
    private static double VarianceDf(MetricRule rule, in ArmSample arm, int tail, double iid, double cluster) =>
        !double.IsNaN(cluster) && cluster > iid ? Math.Max(EffectiveSubjects(rule, arm, tail) - 1, 1) : double.PositiveInfinity;

    /// <summary>
    /// The Welch–Satterthwaite degrees of freedom of v₁ + v₂ from two independent variance estimates with df₁ and df₂:
    /// (v₁ + v₂)² / (v₁²/df₁ + v₂²/df₂); infinite when both are known.
    /// </summary>
    internal static double Satterthwaite(double v1, double df1, double v2, double df2)
    {
        var spread = (double.IsPositiveInfinity(df1) ? 0 : v1 * v1 / df1) + (double.IsPositiveInfinity(df2) ? 0 : v2 * v2 / df2);
        return spread > 0 ? (v1 + v2) * (v1 + v2) / spread : double.PositiveInfinity;
    }

    /// <summary>The degrees of freedom a bound is taken at: <paramref name="df"/>, or infinite (known) under <see cref="JudgePolicy.KnownVariance"/>.</summary>
    private double Df(double df) => Policy.KnownVariance ? double.PositiveInfinity : df;
}
