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
        return [e.Metric, MetricEvidence.CountText(e.CanaryN, e.CanaryNBeforeCap), MetricEvidence.CountText(e.StableN, e.StableNBeforeCap), e.EstimateText(), e.BoundsText(), e.ToleranceText, e.Verdict];
    }
}
