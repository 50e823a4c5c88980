using System.Globalization;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The gate's figures as the text, markdown and HTML reports print them. A figure nothing was measured for (every
/// trial of a side errored) reads "not measured", never 0%.
/// </summary>
public static class GateFigures
{
    public const string NotMeasured = "not measured";

    /// <summary>A pass rate as <c>87.5%</c>, or "not measured".</summary>
    public static string PassRate(double? rate) => rate?.ToString("0.0%", CultureInfo.InvariantCulture) ?? NotMeasured;

    /// <summary>A side's passes of a case, <c>2/3</c>, or "not measured" when every trial errored (<paramref name="score"/> null): not 0/3.</summary>
    public static string Passes(int passes, int trials, double? score) =>
        score is null ? NotMeasured : string.Create(CultureInfo.InvariantCulture, $"{passes}/{trials}");

    /// <summary>The mean score difference with its interval, <c>-0.050 (95% CI -0.100 to +0.000)</c>, or "not measured".</summary>
    public static string MeanDifference(GateDecision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (d is not { MeanDifference: { } mean, CiLow: { } low, CiHigh: { } high })
        {
            return NotMeasured;
        }

        const string Signed = "+0.000;-0.000;0.000";
        return string.Create(CultureInfo.InvariantCulture,
            $"{mean.ToString(Signed, CultureInfo.InvariantCulture)} ({d.Confidence:0%} CI {low.ToString(Signed, CultureInfo.InvariantCulture)} to {ThresholdText.Value(high, -d.Rule.MaxMeanDrop, Signed)})");
    }
}
