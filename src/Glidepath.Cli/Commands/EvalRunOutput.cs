using System.Globalization;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>What <c>eval</c> and <c>gate</c> print alike: the per-release summary table and why a trial did not pass.</summary>
internal static class EvalRunOutput
{
    public static string Reason(TrialResult r) => r.Why;

    public static void SummaryTable(CliContext ctx, IReadOnlyList<(string Label, RunSummary Summary)> rows) =>
        ctx.Output.Table(["release", "cases", "trials", "pass", "fail", "error", "pass rate", "mean score", "p50 ms", "p95 ms", "cost $"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Label, N(r.Summary.Cases), N(r.Summary.Trials), N(r.Summary.Passed), N(r.Summary.Failed), N(r.Summary.Errors),
                r.Summary.PassRate.ToString("0.0%", CultureInfo.InvariantCulture), r.Summary.MeanScore.ToString("0.000", CultureInfo.InvariantCulture),
                r.Summary.LatencyP50Ms.ToString("0", CultureInfo.InvariantCulture), r.Summary.LatencyP95Ms.ToString("0", CultureInfo.InvariantCulture),
                r.Summary.CostUsd?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-",
            ]));

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
