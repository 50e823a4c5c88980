namespace Glidepath.Rollouts;

/// <summary>
/// Student's t distribution, for the judge's small-sample correction (<see cref="ConfidenceSequence.Radius(double, double, double, double, double)"/>): a
/// variance estimated over few subject groups is itself uncertain, and a bound that treats it as known is too narrow.
/// </summary>
/// <remarks>
/// The upper tail is P(T &gt; t) = ½·I_{ν/(ν+t²)}(ν/2, ½), the regularized incomplete beta function evaluated by its
/// continued fraction (modified Lentz; Press et al., Numerical Recipes, 3rd ed., §6.4), with ln Γ by Lanczos'
/// approximation (g = 7, n = 9; relative error about 1e-15). The normal tail is ½·erfc(z/√2) with erfc by its
/// Chebyshev fit (Numerical Recipes §6.2.2, fractional error below 1.2e-7): ample for a bound's height.
/// </remarks>
public static class StudentT
{
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    /// <summary>P(Z &gt; z) for a standard normal Z.</summary>
    public static double NormalUpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>P(T &gt; t) for T with <paramref name="df"/> degrees of freedom (df &gt; 0; real df allowed).</summary>
    public static double UpperTail(double t, double df)
    {
        if (double.IsNaN(t) || !(df > 0))
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(df))
        {
            return NormalUpperTail(t);
        }

        var half = 0.5 * RegularizedBeta(df / (df + (t * t)), df / 2, 0.5);
        return t >= 0 ? half : 1 - half;
    }

    /// <summary>
    /// The t with P(T &gt; t) = <paramref name="p"/> for 0 &lt; p ≤ ½ (to 1e-10 relative), by Newton's method from the
    /// normal quantile's side: the tail is convex and falling for t ≥ 0 and the t quantile is at least the normal one, so
    /// each step from below stays below the root and approaches it.
    /// </summary>
    public static double UpperQuantile(double p, double df)
    {
        if (!(p > 0 && p <= 0.5) || !(df > 0))
        {
            return double.NaN;
        }

        var t = NormalQuantile(p);
        for (var i = 0; i < 200; i++)
        {
            var excess = UpperTail(t, df) - p;
            if (!(excess > 0))
            {
                return t;
            }

            var step = excess / Density(t, df);
            t += step;
            if (!double.IsFinite(t))
            {
                return double.PositiveInfinity;
            }

            if (step <= 1e-10 * t)
            {
                return t;
            }
        }

        return t;
    }

    /// <summary>The density of T with <paramref name="df"/> degrees of freedom at <paramref name="t"/>.</summary>
    public static double Density(double t, double df) =>
        Math.Exp(LogGamma((df + 1) / 2) - LogGamma(df / 2) - (0.5 * Math.Log(df * Math.PI)) - ((df + 1) / 2 * Math.Log(1 + (t * t / df))));

    /// <summary>
    /// The z with P(Z &gt; z) = <paramref name="p"/> (0 &lt; p ≤ ½), at most the true one: the bisection of the normal tail
    /// to 1e-12 absolute, kept on the low side, where <see cref="UpperQuantile"/> starts.
    /// </summary>
    private static double NormalQuantile(double p)
    {
        double lo = 0, hi = 40;
        while (hi - lo > 1e-12)
        {
            var mid = 0.5 * (lo + hi);
            (lo, hi) = NormalUpperTail(mid) > p ? (mid, hi) : (lo, mid);
        }

        return lo;
    }

    /// <summary>ln Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var a = Lanczos[0];
        var t = x + 7.5;
        for (var i = 1; i < Lanczos.Length; i++)
        {
            a += Lanczos[i] / (x + i);
        }

        return (0.5 * Math.Log(2 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(a);
    }

    /// <summary>The regularized incomplete beta function I_x(a, b).</summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var front = Math.Exp(LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x)));
        // The continued fraction converges fast for x < (a + 1)/(a + b + 2); otherwise use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
        return x < (a + 1) / (a + b + 2)
            ? front * BetaFraction(x, a, b) / a
            : 1 - (front * BetaFraction(1 - x, b, a) / b);
    }

    private static double BetaFraction(double x, double a, double b)
    {
        const double Tiny = 1e-300;
        double qab = a + b, qap = a + 1, qam = a - 1;
        var c = 1.0;
        var d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 500; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var del = d * c;
            h *= del;
            if (Math.Abs(del - 1) < 1e-15)
            {
                break;
            }
        }

        return h;
    }

    private static double Erfc(double x)
    {
        ReadOnlySpan<double> c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var z = Math.Abs(x);
        var t = 1 / (1 + (0.5 * z));
        var poly = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            poly = c[i] + (t * poly);
        }

        var r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2 - r;
    }
}
