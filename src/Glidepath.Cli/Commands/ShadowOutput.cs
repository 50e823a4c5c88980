using System.Globalization;
using Glidepath.Shadow;

namespace Glidepath.Cli.Commands;

/// <summary>
/// The text of <c>shadow status</c> and <c>shadow stop</c>, printed from the JSON view (locally and through the admin
/// API alike, so the two cannot drift).
/// </summary>
internal static class ShadowOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Caps(double? maxCostUsd, long? maxRequests) =>
        (maxCostUsd, maxRequests) switch
        {
            (null, null) => "",
            ({ } cost, null) => string.Create(Inv, $" until {FigureText.Usd(cost)} spent"),
            (null, { } n) => string.Create(Inv, $" for at most {n} requests"),
            ({ } cost, { } n) => string.Create(Inv, $" until {FigureText.Usd(cost)} spent or {n} requests"),
        };

    /// <summary>
    /// <c>shadow stop</c>'s line: the pairs stored (named so: a trial read "stopped after N pairs" as no count of what
    /// was saved), spend and candidate errors over every pair, and, when the stable release
    /// changed during the shadow, how many of them the judge read.
    /// </summary>
    public static string Stopped(ShadowView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var judged = view.PairsAgainstOtherStables.Count > 0
            ? string.Create(Inv, $"; the judge read the {view.JudgedPairs} against stable {view.Stable?.Label ?? "-"} ({view.JudgedCandidateErrors} candidate errors)")
            : "";
        return string.Create(Inv,
            $"{view.Environment}: shadow {view.ShadowId} of {view.Candidate?.Label ?? "-"} stopped: {view.Pairs} pairs stored (they stay as evidence), candidate spend {FigureText.Usd(view.CostUsd)}, {view.CandidateErrors} candidate errors{judged} — judge: {view.Outcome}, {view.Decision}");
    }

    /// <summary>
    /// What the gateways hold claimed of the caps, beside what is stored: a place claimed and not stored is held by a
    /// running gateway, in flight, or lost. Null while no gateway has claimed (or the shadow has no cap).
    /// </summary>
    public static string? Claims(ShadowView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return ShadowClaimsText.Claimed(view) is not { } claimed ? null
            : $"  claimed by gateways: {claimed}" + (ShadowClaimsText.Stalled(view) is { } stalled ? $"\n  stalled: {stalled}" : "");
    }

    /// <summary>The text of <c>shadow status</c>.</summary>
    public static void WriteStatus(CliContext ctx, ShadowView view)
    {
        var candidate = view.Candidate?.Label ?? "-";
        var stable = view.Stable?.Label ?? "-";
        var where = view switch
        {
            { Active: false } => $"stopped at {TableText.Time(view.StoppedAt)} UTC{(view.StopReason is { } why ? $": {why}" : "")}",
            { CandidateIsStable: true } => $"active, but {candidate} is now the stable release: nothing is mirrored{(view.CapReached ? "; its cap was reached too" : "")} (end it: glidepath shadow stop --env {view.Environment})",
            { CapReached: true } => "active, cap reached: no more requests are mirrored",
            _ => "active",
        };
        var against = view.CandidateIsStable
            ? $"judged against {stable}, the stable release it replaced,"
            : $"against stable {stable}";
        ctx.Output.Line(string.Create(Inv,
            $"{view.Environment}: shadow {view.ShadowId} of {candidate} {against} at {FigureText.Percent(view.Rate)} of stable requests{Caps(view.MaxCostUsd, view.MaxRequests)} — {where}"));
        ctx.Output.Line($"  started {TableText.Time(view.StartedAt)} UTC by {view.StartedBy}{(view.Reason is { } r ? $": {r}" : "")}");

        // The figures on one line cover the same pairs: all of them. When the stable release changed, the judged subset
        // is named beside them, and the pairs it leaves out (with the candidate's errors there) on a line of their own.
        var split = view.PairsAgainstOtherStables.Count > 0;
        if (split)
        {
            var others = string.Join(", ", view.PairsAgainstOtherStables.Select(o => string.Create(Inv, $"{o.Pairs} against {o.Stable?.Label ?? "-"} with {o.CandidateErrors} candidate errors")));
            ctx.Output.Line($"  not judged: pairs with another stable release ({others}); the stable release changed during the shadow, and the judge reads only the pairs against {stable}, as the checklist and rollout start --require-shadow do");
        }

        var judged = split ? string.Create(Inv, $"; judged: {view.JudgedPairs} pairs against {stable}, {view.JudgedCandidateErrors} candidate errors") : "";
        ctx.Output.Line(string.Create(Inv,
            $"  pairs {view.Pairs}{(view.MaxRequests is { } max ? $" of {max}" : "")}{(split ? " (every stable release)" : "")}, candidate spend {FigureText.Usd(view.CostUsd)}{(view.MaxCostUsd is { } cap ? $" of {FigureText.Usd(cap)}" : "")}, candidate errors {view.CandidateErrors}{judged}"));
        if (Claims(view) is { } claims)
        {
            ctx.Output.Line(claims);
        }

        // What a gateway sampled and did not mirror is counted only there (trial newcomer4 L1): named, never made up here.
        // Worded once, in the view (JSON not_mirrored_counted_on_gateways), and printed from it.
        var counted = view.NotMirroredCountedOnGateways;
        ctx.Output.Line($"  not mirrored: counted by each gateway, not in the store, so not here: on its /metrics {counted.Dropped}; {counted.Capped}; {counted.Failed}; on its {counted.PairWrites}");
        if (view.PairsAtStop is { } atStop && view.Pairs > atStop)
        {
            ctx.Output.Line(string.Create(Inv,
                $"  {view.Pairs - atStop} of these pairs were stored after the stop (calls already in flight when it was stopped); the shadow_stop event recorded {atStop}"));
        }

        var evidence = view.Metrics;
        if (evidence.Count > 0)
        {
            var confidence = 1 - (evidence[0].Alpha * evidence.Count);
            ctx.Output.Table(
                ["metric", "candidate n", "stable n", "estimate", "interval", "tolerance", "verdict"],
                evidence.Select(TableText.MetricRow),
                title: string.Create(Inv, $"paired differences, candidate − stable on the same inputs ({confidence:0.###} confidence, always-valid intervals)"));
        }

        var line = $"  judge: {view.Outcome} — {view.Decision}";
        ctx.Output.Line(line, view.Outcome switch
        {
            "harm" => $"[red]{Spectre.Console.Markup.Escape(line)}[/]",
            "pass" => $"[green]{Spectre.Console.Markup.Escape(line)}[/]",
            _ => null,
        });
    }

    /// <summary>The text of <c>shadow list</c>: one row per shadow, newest first.</summary>
    public static void WriteList(CliContext ctx, ShadowList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (list.Shadows.Count == 0)
        {
            ctx.Output.Line($"{list.Environment} has had no shadow; start one with: glidepath shadow start REF --env {list.Environment} --rate 0.1");
            return;
        }

        ctx.Output.Table(
            ["shadow", "candidate", "stable", "started (UTC)", "stopped (UTC)", "pairs", "judge"],
            list.Shadows.Select(v => (IReadOnlyList<string>)
            [
                v.ShadowId,
                v.Candidate?.Label ?? "-",
                v.Stable?.Label ?? "-",
                TableText.Time(v.StartedAt),
                v.Active ? "active" : TableText.Time(v.StoppedAt),

                // Pairs stored after the stop (calls in flight at it) are counted, and the stop's own count is named beside them.
                v.PairsAtStop is { } atStop && v.Pairs > atStop ? string.Create(Inv, $"{v.Pairs} ({atStop} at the stop)") : v.Pairs.ToString(Inv),
                v.Outcome,
            ]),
            title: $"{list.Environment}: {list.Shadows.Count} shadow(s), newest first");
        ctx.Output.Line($"  one in full: glidepath shadow status --env {list.Environment} --shadow {list.Shadows[0].ShadowId}");
    }
}
