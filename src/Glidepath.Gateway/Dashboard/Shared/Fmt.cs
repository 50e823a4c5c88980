using System.Globalization;

namespace Glidepath.Gateway.Dashboard.Shared;

/// <summary>How the pages write times and numbers: UTC, invariant culture, as the CLI prints them.</summary>
internal static class Fmt
{
    public static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "–";

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("o", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset t, DateTimeOffset now) => RolloutDuration(now - t) + " ago";

    public static string In(DateTimeOffset t, DateTimeOffset now) => t > now ? "in " + RolloutDuration(t - now) : RolloutDuration(now - t) + " ago";

    public static string Num(double v, string format = "0.###") => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Num(double? v, string format = "0.###") => v is { } x ? Num(x, format) : "–";

    public static string Percent(double weight) => weight.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Ms(double? v) => v is { } x ? x.ToString("0.#", CultureInfo.InvariantCulture) + " ms" : "–";

    public static string Usd(double v) => "$" + v.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>A trace's cost, or "cost unknown" when its model has no price (<see cref="Glidepath.Models.PriceTable.Known"/>).</summary>
    public static string Usd(double? v) => v is { } usd ? Usd(usd) : "cost unknown";

    private static string RolloutDuration(TimeSpan t) => Glidepath.Rollouts.RolloutView.Duration(t);
}
