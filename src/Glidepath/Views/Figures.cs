using System.Globalization;

namespace Glidepath.Views;

/// <summary>
/// Money and shares as people read them: up to two decimals, and three significant digits below that, so a small cap
/// or rate ($0.0003, 0.0001%) never prints as 0. The CLI's text and the dashboard print them alike.
/// </summary>
public static class Figures
{
    /// <summary>"$5", "$0.06", "$0.000405".</summary>
    public static string Usd(double value) => "$" + Figure(value);

    /// <summary>A share in [0, 1] as a percentage: "10%", "12.5%", "0.0001%".</summary>
    public static string Percent(double share) => Figure(share * 100) + "%";

    private static string Figure(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        var decimals = Math.Max(2, 2 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        return decimals > 15
            ? value.ToString("G3", CultureInfo.InvariantCulture)
            : Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
