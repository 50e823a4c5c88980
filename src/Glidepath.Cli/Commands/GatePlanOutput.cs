using System.Globalization;
using Glidepath.Errors;
using Glidepath.Evals.Gate;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath gate --plan</c>: how many trials a case needs for the gate to see a drop, for this suite's size and confidence.</summary>
internal static class GatePlanOutput
{
    private static readonly int[] Trials = [5, 10, 15, 20, 30, 50];
    private static readonly (double From, double To)[] Drops = [(1.0, 0.3), (1.0, 0.5), (1.0, 0.7), (1.0, 0.8), (0.9, 0.6), (0.8, 0.5)];

    public static void Print(CliContext ctx, int cases, double confidence, double? from, double? to)
    {
        if (from.HasValue != to.HasValue)
        {
            throw new BadInputException("--from and --to go together, e.g. --plan --from 0.9 --to 0.6");
        }

        if (from is { } f && to is { } t && (f is < 0 or > 1 || t is < 0 or > 1 || t >= f))
        {
            throw new BadInputException($"--from {f} --to {t}: pass rates between 0 and 1, and --to below --from (a drop)");
        }

        var plan = new GatePlan(cases, confidence);
        var drops = from is { } a && to is { } b ? [(a, b)] : Drops;
        var rows = drops.Select(d => new
        {
            from = d.From,
            to = d.To,
            power = Trials.Select(n => new { trials = n, at_least = plan.PowerAtLeast(d.From, d.To, n), at_most = plan.PowerAtMost(d.From, d.To, n) }).ToList(),
            trials_for_80_percent = new { every_case_flaky = plan.TrialsNeeded(d.From, d.To, 0.8, everyCaseFlaky: true), other_cases_stable = plan.TrialsNeeded(d.From, d.To, 0.8, everyCaseFlaky: false) },
        }).ToList();
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(new { cases, confidence, family_alpha = Math.Round(plan.FamilyAlpha, 12), correction = "discrete-holm", drops = rows });
            return;
        }

        ctx.Output.Line(string.Create(CultureInfo.InvariantCulture,
            $"Gate plan: {cases} case(s) at {confidence:0.##%} confidence; a case is flagged when its one-sided Fisher p-value, corrected across the cases (discrete Holm), is ≤ {plan.FamilyAlpha:0.###}."));
        ctx.Output.Line("Chance of flagging one case whose pass rate truly drops, with the same trials on each side:");
        ctx.Output.Line("the first figure if every case in the suite is flaky, the second if every other case always passes.");
        ctx.Output.Line();
        ctx.Output.Line($"  {"drop",-12}{string.Concat(Trials.Select(n => $"{n + " trials",-14}"))}trials for 80%");
        foreach (var row in rows)
        {
            var cells = string.Concat(row.power.Select(p => string.Create(CultureInfo.InvariantCulture, $"{$"{p.at_least:0.00}–{p.at_most:0.00}",-14}")));
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture,
                $"  {$"{row.from:0%}→{row.to:0%}",-12}{cells}{Need(row.trials_for_80_percent.every_case_flaky)}–{Need(row.trials_for_80_percent.other_cases_stable)}"));
        }

        ctx.Output.Line();
        ctx.Output.Line("Exact (binomial outcomes × Fisher's test), not simulated. The mean rule can block a diffuse drop no single case shows; it is not counted here.");
    }

    private static string Need(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? ">200";
}
