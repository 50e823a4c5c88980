namespace Glidepath.Rollouts;

/// <summary>
/// The normal-mixture confidence sequence (Robbins; Howard et al. 2021; the mSPRT of Johari et al. 2017):
/// an interval estimate ± radius that holds at every sample size at once, so it may be looked at after every
/// request without inflating the error rate. Used with an estimated variance it is the asymptotic confidence
/// sequence of Waudby-Smith et al. (2021).
/// </summary>
public static class ConfidenceSequence
{
    /// <summary>
    /// Radius at level 1 − <paramref name="alpha"/> (two-sided) for an estimate whose variance is
    /// <paramref name="variance"/> after <paramref name="n"/> observations, with mixing parameter
    /// <paramref name="rho"/> (in observations): radius² = v · (1 + ρ/n) · (2 ln(1/α) + ln(1 + n/ρ)).
    /// </summary>
    public static double Radius(double variance, double n, double alpha, double rho)
    {
        if (n <= 0 || variance < 0 || double.IsNaN(variance))
        {
            return double.PositiveInfinity;
        }

        return Math.Sqrt(variance * (1 + (rho / n)) * ((2 * Math.Log(1 / alpha)) + Math.Log(1 + (n / rho))));
    }

    /// <summary>
    /// The radius of <see cref="Radius(double, double, double, double)"/> when <paramref name="variance"/> is estimated
    /// with <paramref name="df"/> degrees of freedom (the judge's variance over few subject groups): the bound's height
    /// in standard errors, z = radius/√v, is replaced by the Student t quantile with the same upper tail, t_df(Φ̄(z)), so
    /// that each look's chance of passing the bound is what it is with a known variance (Cameron and Miller 2015, §VI:
    /// cluster-robust inference with few clusters takes its critical values from t with G − 1 degrees of freedom). Without
    /// a finite df, or with more than <see cref="KnownVarianceDf"/>, the radius is unchanged.
    /// </summary>
    public static double Radius(double variance, double n, double alpha, double rho, double df)
    {
        var radius = Radius(variance, n, alpha, rho);
        if (double.IsNaN(df))
        {
            return double.PositiveInfinity;
        }

        if (!(df > 0 && df <= KnownVarianceDf) || !(variance > 0) || !double.IsFinite(radius))
        {
            return radius;
        }

        // A height whose normal tail underflows has no t height to match: no bound (never the narrower normal one).
        var z = radius / Math.Sqrt(variance);
        var tail = StudentT.NormalUpperTail(z);
        return tail > 0 ? radius * StudentT.UpperQuantile(tail, df) / z : double.PositiveInfinity;
    }

    /// <summary>Degrees of freedom beyond which an estimated variance is taken as known (the t quantile is within 0.01% of the normal one at the judge's heights).</summary>
    public const double KnownVarianceDf = 1e5;

    /// <summary>The mixing parameter that makes the sequence tightest at <paramref name="targetN"/> observations.</summary>
    public static double RhoFor(double targetN, double alpha) => Math.Max(targetN, 1) / OptimalRatio(alpha);

    /// <summary>u = n/ρ minimising (1 + 1/u)(2 ln(1/α) + ln(1 + u)), by golden-section search on ln u.</summary>
    public static double OptimalRatio(double alpha)
    {
        var l = 2 * Math.Log(1 / alpha);
        double F(double logU)
        {
            var u = Math.Exp(logU);
            return (1 + (1 / u)) * (l + Math.Log(1 + u));
        }

        double a = Math.Log(0.01), b = Math.Log(1e5);
        var g = (Math.Sqrt(5) - 1) / 2;
        for (var i = 0; i < 100; i++)
        {
            var c = b - (g * (b - a));
            var d = a + (g * (b - a));
            if (F(c) < F(d))
            {
                b = d;
            }
            else
            {
                a = c;
            }
        }

        return Math.Exp((a + b) / 2);
    }
}
