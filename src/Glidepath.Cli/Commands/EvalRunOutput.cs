using System.Globalization;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>What <c>eval</c> and <c>gate</c> print alike: the per-release summary table and why a trial did not pass.</summary>
internal static class EvalRunOutput
{
    public static string Reason(TrialResult r) => r.Why;

    /// <summary>
    /// One row per release. A figure nothing was measured for is "-" (as an unpriced run's cost), and a release whose
    /// every trial errored gets a line saying so: its pass rate is not 0%, there is none. A release with some errored trials
    /// gets a line saying its pass rate and mean score are of the scored trials.
    /// </summary>
    public static void SummaryTable(CliContext ctx, IReadOnlyList<(string Label, RunSummary Summary)> rows)
    {
        // The judge's calls and cost beside the model's, when a judge scored (its spend can be several times the model's).
        var judged = rows.Any(r => r.Summary.JudgeCalls > 0 || r.Summary.JudgeCostUsd is not null);
        string[] judgeColumns = judged ? ["judge calls", "judge $"] : [];
        ctx.Output.Table(["release", "cases", "trials", "pass", "fail", "error", "pass rate", "mean score", "p50 ms", "p95 ms", "cost $", .. judgeColumns],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Label, N(r.Summary.Cases), N(r.Summary.Trials), N(r.Summary.Passed), N(r.Summary.Failed), N(r.Summary.Errors),
                Figure(r.Summary.PassRate, "0.0%"), Figure(r.Summary.MeanScore, "0.000"),
                Figure(r.Summary.LatencyP50Ms, "0"), Figure(r.Summary.LatencyP95Ms, "0"), GateFigures.Usd(r.Summary.CostUsd),
                .. judged ? [N(r.Summary.JudgeCalls), GateFigures.Usd(r.Summary.JudgeCostUsd)] : Array.Empty<string>(),
            ]));
        foreach (var (label, summary) in rows.Where(r => r.Summary.JudgeUnansweredCalls > 0))
        {
            // Apart from the billed figures above, which count answers (trial gatejudge3 M2).
            ctx.Output.Line($"{label}: {N(summary.JudgeUnansweredCalls)} judge call(s) got no answer (a timeout, a dropped connection) and are not in judge calls or judge $; " +
                $"a provider may have billed them, so max_spend_usd counted them at the dearest call known, {Glidepath.Views.Figures.Usd(summary.JudgeUnansweredUsd)} in all");
        }

        foreach (var (label, summary) in rows.Where(r => r.Summary.Errors > 0))
        {
            // Both figures leave the errored trials out alike (until 2026-12-06 the pass rate counted them and the mean score
            // did not: 42.9% beside 0.950), and the line says so, so neither reads as a figure over every trial.
            ctx.Output.Line(summary.PassRate is null
                ? $"{label}: pass rate, mean score and latency not measured: every one of its {N(summary.Trials)} trial(s) errored"
                : $"{label}: pass rate and mean score are of its {N(summary.Passed + summary.Failed)} scored trial(s); its {N(summary.Errors)} errored trial(s) are in neither");
        }
    }

    private static string Figure(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
