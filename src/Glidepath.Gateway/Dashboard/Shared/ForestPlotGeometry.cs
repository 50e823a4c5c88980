using System.Globalization;
using Glidepath.Gateway.Dashboard.Models;
using Glidepath.Rollouts;

namespace Glidepath.Gateway.Dashboard.Shared;

/// <summary>
/// Where a forest plot's marks go: one row per look at a metric (estimate and always-valid interval), the tolerance line,
/// the harmful side beyond it shaded, and the no-difference line. Ratios are drawn on a log scale, so ×0.8 and ×1.25
/// sit equally far from ×1. Pure arithmetic, so it is tested without a browser.
/// </summary>
internal sealed record ForestPlotGeometry(
    double Width, double Height, double PlotLeft, double PlotRight, double ToleranceX, double NeutralX,
    double HarmFrom, double HarmTo, IReadOnlyList<ForestMark> Marks, IReadOnlyList<(double X, string Text)> Ticks)
{
    public const double RowHeight = 30;
    private const double Top = 12;
    private const double Bottom = 30;

    /// <summary>
    /// Whether the evidence is an interval a forest plot can draw: a ratio or a difference. The monitor's <c>no_traffic</c> is
    /// on the <c>count</c> scale (requests now against the fewest and most of an earlier window), which is no interval.
    /// </summary>
    public static bool Draws(MetricEvidence evidence) => evidence?.Scale is "ratio" or "difference";

    /// <param name="rows">The looks, in order.</param>
    /// <param name="width">The drawing's width.</param>
    /// <param name="labelWidth">The room the looks' labels take on the left.</param>
    /// <param name="text">Each look's interval in words (the marks' titles); <see cref="MetricEvidence.IntervalText"/>'s
    /// canary and stable by default, the monitor's recent window and reference for a drift alert.</param>
    public static ForestPlotGeometry Build(IReadOnlyList<ForestRow> rows, double width = 480, double labelWidth = 118, Func<MetricEvidence, string>? text = null)
    {
        text ??= e => e.IntervalText();
        ArgumentNullException.ThrowIfNull(rows);
        var first = rows.Count > 0 ? rows[0].Evidence : null;
        var ratio = first?.Scale == "ratio";
        double T(double v) => ratio ? Math.Log(v) : v;
        var tolerance = first is null ? 0 : T(first.Tolerance);
        var values = new List<double> { 0, tolerance };
        foreach (var e in rows.Select(r => r.Evidence))
        {
            foreach (var v in new[] { e.Lower, e.Estimate, e.Upper, e.HarmSideEstimate })
            {
                if (v is { } x && double.IsFinite(x) && (!ratio || x > 0))
                {
                    values.Add(T(x));
                }
            }
        }

        var (lo, hi) = (values.Min(), values.Max());
        var span = hi - lo;
        if (span <= 0)
        {
            span = Math.Max(Math.Abs(tolerance), 1e-3);
        }

        (lo, hi) = (lo - (0.12 * span), hi + (0.12 * span));
        var (left, right) = (labelWidth, width - 28);
        double X(double v) => left + ((Math.Clamp(v, lo, hi) - lo) / (hi - lo) * (right - left));

        var marks = new List<ForestMark>();
        for (var i = 0; i < rows.Count; i++)
        {
            var e = rows[i].Evidence;
            var y = Top + (RowHeight * i) + (RowHeight / 2);
            var known = e.Estimate is { } est && e.Lower is { } l && e.Upper is { } u && (!ratio || (est > 0 && l > 0));

            // Where a dominant subject group was left out of the harm side, its bound is around another estimate, which is
            // drawn too, so a dot outside its whisker is explained on the plot itself (review of the mirror case, M3).
            double? harmSide = known && e.HarmSideEstimate is { } h && double.IsFinite(h) && (!ratio || h > 0) ? X(T(h)) : null;
            marks.Add(known
                ? new ForestMark(rows[i].Label, y, X(T(e.Lower!.Value)), double.IsFinite(e.Upper!.Value) ? X(T(e.Upper.Value)) : right, X(T(e.Estimate!.Value)), e.Verdict, text(e), e.CanaryN, e.StableN) { HarmSide = harmSide }
                : new ForestMark(rows[i].Label, y, null, null, null, e.Verdict, text(e), e.CanaryN, e.StableN));
        }

        var harmAbove = tolerance >= 0;
        var tx = X(tolerance);
        var ticks = new List<(double, string)> { (X(0), Label(0, ratio)), (tx, Label(tolerance, ratio)) };
        foreach (var edge in new[] { lo, hi })
        {
            var ex = X(edge);
            if (ticks.All(t => Math.Abs(t.Item1 - ex) > 60))
            {
                ticks.Add((ex, Label(edge, ratio)));
            }
        }

        return new ForestPlotGeometry(
            width, Top + (RowHeight * Math.Max(rows.Count, 1)) + Bottom, left, right, tx, X(0),
            harmAbove ? tx : left, harmAbove ? right : tx, marks, ticks);
    }

    private static string Label(double v, bool ratio) => ratio
        ? "×" + Math.Exp(v).ToString("0.00", CultureInfo.InvariantCulture)
        : v.ToString("+0.###;-0.###;0", CultureInfo.InvariantCulture);
}
