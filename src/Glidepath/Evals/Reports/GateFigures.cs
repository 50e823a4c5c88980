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

    /// <summary>A cost in dollars as the summary table prints it, <c>0.0150</c>, or "-" when nothing was priced.</summary>
    public static string Usd(double? usd) => usd?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>
    /// The model's cost and, when a judge scored, the judge's calls and cost, baseline beside candidate, as the text table
    /// prints them (<c>cost $</c>, <c>judge calls</c>, <c>judge $</c>); none for a report without the run's summaries. A
    /// release gated against itself has one run: its figures are the candidate's, and the baseline's cell is empty.
    /// </summary>
    public static IReadOnlyList<(string Label, string Baseline, string Candidate)> CostRows(GateReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var candidate = report.Summaries.FirstOrDefault(s => s.ReleaseId == report.CandidateId);
        var baseline = report.BaselineId == report.CandidateId ? null : report.Summaries.FirstOrDefault(s => s.ReleaseId == report.BaselineId);
        if (candidate is null && baseline is null)
        {
            return [];
        }

        string Cell(Runs.RunSummary? s, Func<Runs.RunSummary, string> figure) => s is null ? "" : figure(s);
        var rows = new List<(string, string, string)> { ("cost $", Cell(baseline, s => Usd(s.CostUsd)), Cell(candidate, s => Usd(s.CostUsd))) };
        if (report.Summaries.Any(s => s.JudgeCalls > 0 || s.JudgeCostUsd is not null))
        {
            rows.Add(("judge calls", Cell(baseline, s => s.JudgeCalls.ToString(CultureInfo.InvariantCulture)), Cell(candidate, s => s.JudgeCalls.ToString(CultureInfo.InvariantCulture))));
            rows.Add(("judge $", Cell(baseline, s => Usd(s.JudgeCostUsd)), Cell(candidate, s => Usd(s.JudgeCostUsd))));
        }

        return rows;
    }

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
