using System.Globalization;

namespace Glidepath.Evals;

/// <summary>
/// A measured value printed beside the threshold it was compared with, with enough decimals to show which side of the
/// threshold it lies on. Rounded to the usual decimals, a token F1 of 0.0952 against 0.1 read "0.10 (pass at 0.1)" for
/// a failure; it reads 0.095. Every scorer reason and gate line that sets a value against a limit goes through here.
/// </summary>
public static class ThresholdText
{
    /// <summary>
    /// <paramref name="value"/> in <paramref name="format"/> when that keeps its side of <paramref name="threshold"/>
    /// (above, equal or below), else with as many more decimals as it takes (a format starting with <c>+</c> keeps its sign).
    /// </summary>
    public static string Value(double value, double threshold, string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value) || SameSide(text, value, threshold))
        {
            return text;
        }

        // More decimals than the format has: fewer could show the right side only by rounding the value away (0.0199996
        // against 0.02 in "0.0000" is "0.0200"; in one decimal it would be "0").
        for (var decimals = Decimals(format) + 1; decimals <= 15; decimals++)
        {
            var digits = new string('#', decimals);
            text = value.ToString(format.StartsWith('+') ? $"+0.{digits};-0.{digits};0" : $"0.{digits}", CultureInfo.InvariantCulture);
            if (SameSide(text, value, threshold))
            {
                return text;
            }
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A threshold as written in the manifest: every digit it has (0.1, 200, 0.0005, 0.00005 rather than 5E-05).</summary>
    public static string Limit(double threshold)
    {
        var plain = threshold.ToString("0.###############", CultureInfo.InvariantCulture);
        return plain == "0" && threshold != 0 || !double.IsFinite(threshold) ? threshold.ToString(CultureInfo.InvariantCulture) : plain;
    }

    /// <summary>The decimals of a format's first section: 4 for "+0.0000;-0.0000", 2 for "0.##".</summary>
    private static int Decimals(string format)
    {
        var first = format.Split(';')[0];
        var dot = first.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : first[(dot + 1)..].Count(c => c is '0' or '#');
    }

    private static bool SameSide(string shown, double value, double threshold) =>
        double.TryParse(shown, NumberStyles.Float, CultureInfo.InvariantCulture, out var read) && Math.Sign(read.CompareTo(threshold)) == Math.Sign(value.CompareTo(threshold));
}
