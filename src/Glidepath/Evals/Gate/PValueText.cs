using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>A case's p-values as every report shows them: four decimals, and "&lt; 0.0001" below that (not "0").</summary>
public static class PValueText
{
    /// <summary><c>0.0123</c>, or <c>&lt; 0.0001</c> for a p-value that would round to zero.</summary>
    public static string Of(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary><c>p = 0.0123, adjusted 0.0456</c> (<c>p &lt; 0.0001, …</c>), or null for a case that was not tested.</summary>
    public static string? Of(CaseComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.PValue is { } p ? $"p {(p < 0.0001 ? "" : "= ")}{Of(p)}, adjusted {Of(c.AdjustedPValue ?? p)}" : null;
    }
}
