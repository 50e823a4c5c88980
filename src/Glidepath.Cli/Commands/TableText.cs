using System.Globalization;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Commands;

/// <summary>Cells of the text tables commands print.</summary>
internal static class TableText
{
    /// <summary>UTC, to the minute; table headers say "(UTC)".</summary>
    public static string Time(DateTimeOffset? t) =>
        t is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    /// <summary>A row per judged metric: estimate, interval and tolerance on the metric's own scale.</summary>
    public static IReadOnlyList<string> MetricRow(MetricEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var inv = CultureInfo.InvariantCulture;
        string F(double? v) => v is not { } x ? "n/a" : e.Scale == "ratio" ? $"×{x.ToString("0.000", inv)}" : MetricEvidence.Signed(x);
        var interval = e.Lower is null ? "n/a" : $"[{F(e.Lower)}, {(e.Upper is { } u && double.IsPositiveInfinity(u) ? "inf" : F(e.Upper))}]";
        return [e.Metric, MetricEvidence.CountText(e.CanaryN, e.CanaryNBeforeCap), MetricEvidence.CountText(e.StableN, e.StableNBeforeCap), e.EstimateText(), interval, e.ToleranceText, e.Verdict];
    }
}
