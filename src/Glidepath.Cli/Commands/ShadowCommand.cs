using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath shadow start|status|stop</c>: a candidate answers real requests in the background, judged pair by pair.</summary>
internal static class ShadowCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("shadow", """
            Shadow traffic: a candidate release answers a sampled share of the stable release's requests in the
            background, after each caller has been answered; its answers are never returned and its tool calls are
            never executed. Each pair (same input, stable answer, candidate answer) is stored, and a paired judge
            compares them input by input with the canary judge's tolerances. The mirroring runs inside
            'glidepath serve'; these commands start, watch and stop it.

            Examples:
              glidepath shadow start v3 --env production --rate 0.1 --max-cost-usd 5
              glidepath shadow status --env production --watch
              glidepath shadow stop --env production --reason "enough evidence"
            """);
        command.Subcommands.Add(Start(env));
        command.Subcommands.Add(Status(env));
        command.Subcommands.Add(Stop(env));
        return command;
    }

    private static Command Start(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The candidate: v7, a hash prefix, env:NAME, git:REV or working (registered if new)" };
        var environment = EnvironmentCommandSupport.EnvOption();
        var rate = new Option<double>("--rate") { Description = "Share of the stable arm's requests mirrored, from 0.000001 to 1, e.g. 0.1", Required = true };
        var maxCost = new Option<double?>("--max-cost-usd") { Description = "Stop mirroring once the candidate's model cost reaches this many USD" };
        var maxRequests = new Option<long?>("--max-requests") { Description = "Stop mirroring after this many mirrored requests" };
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("start", """
            Start mirroring a share of the environment's stable requests to REF. Refused when the environment is
            frozen, already has a shadow, has no stable release, or REF is the stable release. Recorded in the history
            (shadow_start); every gateway serving the environment picks it up within a second.

            Examples:
              glidepath shadow start v3 --env production --rate 0.1
              glidepath shadow start v3 --env production --rate 0.05 --max-cost-usd 5 --max-requests 2000
            """)
        {
            reference, environment, rate, maxCost, maxRequests, reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var release = await ctx.ResolveCheckedAsync(store, parse.GetValue(reference)!,
                r => Service(ctx, store).CheckStartAsync(parse.GetValue(environment)!, r, parse.GetValue(rate), parse.GetValue(maxCost), parse.GetValue(maxRequests), ct), ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var shadow = await Service(ctx, store).StartAsync(parse.GetValue(environment)!, release, parse.GetValue(rate), parse.GetValue(maxCost), parse.GetValue(maxRequests), actor, parse.GetValue(reason), ct);
            var report = (await Service(ctx, store).ReportAsync(parse.GetValue(environment)!, ct))!;
            var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            var needed = Service(ctx, store).Judge().Policy.MinPairs;
            if (shadow.MaxRequests is { } cap && cap < needed)
            {
                ctx.Output.Note(string.Create(CultureInfo.InvariantCulture,
                    $"note: --max-requests {cap} is below the {needed} pairs the judge needs for a pass (rollout.step.min_requests): this shadow can show harm but cannot pass"));
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { shadow = ShadowView.From(report, names) });
                return ExitCodes.Ok;
            }

            var text = string.Create(CultureInfo.InvariantCulture,
                $"{report.Environment}: shadow {shadow.ShadowId} of {names.Label(shadow.ReleaseId)} started: {FigureText.Percent(shadow.Rate)} of stable {names.Label(report.StableReleaseId)}'s requests{Caps(shadow)}; 'glidepath serve --env {report.Environment}' mirrors them");
            ctx.Output.Line(text, $"[green]✓[/] {Spectre.Console.Markup.Escape(text)}");
            ctx.Output.Line($"  watch it: glidepath shadow status --env {report.Environment} --watch");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Status(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh until the judge decides (pass or harm) or the shadow ends; exit 0 on pass, 1 on harm (this shadow's, or an earlier one's of the same release) or when the shadow ends (stopped, cap reached) before a decision (with --format json: one compact document per refresh, one per line)" };
        var interval = new Option<string>("--interval") { Description = "Refresh interval with --watch", DefaultValueFactory = _ => "2s" };
        var command = new Command("status", """
            Show the environment's active (or last) shadow: the candidate, the rate and caps, the pairs stored and
            the candidate's spend, and the paired judge's table (per metric, the mean difference candidate − stable
            with its always-valid interval against the rollout plan's tolerance) and decision: pass, harm or
            collecting. Exit 1 when the decision is harm, or when it is pass but an earlier shadow of the same
            release against the same stable was judged harm (a release does not change).

            Examples:
              glidepath shadow status --env production
              glidepath shadow status --env production --watch --format json
            """)
        {
            environment, watch, interval,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            ctx.Output.Lines = parse.GetValue(watch); // a document per refresh: JSON Lines
            var store = await ctx.ExistingStoreAsync(ct);
            var service = Service(ctx, store);
            var name = parse.GetValue(environment)!;
            var every = DurationParser.Positive(parse.GetValue(interval), "--interval", "2s, 1m") ?? TimeSpan.FromSeconds(2);
            while (true)
            {
                var report = await service.ReportAsync(name, ct)
                    ?? throw new PolicyException($"environment '{name}' has had no shadow; start one with: glidepath shadow start REF --env {name} --rate 0.1");
                await WriteStatusAsync(ctx, store, report, ct);
                var decided = report.Decision.Outcome != PairedOutcome.Collecting;
                if (report.Decision.Outcome == PairedOutcome.Pass
                    && (await service.EvidenceAsync(name, report.Shadow.ReleaseId, report.StableReleaseId, ct)).Harmed is { } harmed)
                {
                    // A release does not change: this pass does not undo an earlier harm (the checklist and
                    // --require-shadow say the same), so 'status --watch && rollout start' must stop here too.
                    ctx.Output.Note($"an earlier shadow of the same release ({harmed.Shadow.ShadowId}) was judged harm ({harmed.Decision.Reason}); this pass does not undo that");
                    return ExitCodes.Negative;
                }

                if (!parse.GetValue(watch))
                {
                    return report.Decision.Outcome == PairedOutcome.Harm ? ExitCodes.Negative : ExitCodes.Ok;
                }

                if (decided || !report.Active || report.CapReached || report.CandidateIsStable)
                {
                    // A watch that ends without a pass is not one: 'shadow status --watch && rollout start' must stop.
                    if (!decided)
                    {
                        var ended = !report.Active ? "was stopped" : report.CandidateIsStable ? "stopped mirroring (its candidate became the stable release)" : "reached its cap";
                        ctx.Output.Note($"the shadow {ended} before the judge decided ({report.Decision.Reason}): no pass");
                    }

                    return report.Decision.Outcome == PairedOutcome.Pass ? ExitCodes.Ok : ExitCodes.Negative;
                }

                await Task.Delay(every, ctx.Time, ct);
            }
        });
        return command;
    }

    private static Command Stop(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("stop", """
            Stop the environment's shadow: gateways mirror no more requests. The pairs stay, so the judge's decision
            still counts as evidence (the checklist, rollout start --require-shadow). Recorded in the history
            (shadow_stop) with the pairs, the spend and the judge's outcome. Allowed while frozen.

            Example:
              glidepath shadow stop --env production --reason "enough evidence"
            """)
        {
            environment, reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var report = await Service(ctx, store).StopAsync(parse.GetValue(environment)!, actor, parse.GetValue(reason), ct);
            var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { shadow = ShadowView.From(report, names) });
                return ExitCodes.Ok;
            }

            var text = string.Create(CultureInfo.InvariantCulture,
                $"{report.Environment}: shadow {report.Shadow.ShadowId} of {names.Label(report.Shadow.ReleaseId)} stopped after {report.Spend.Pairs} pairs ({FigureText.Usd(report.Spend.CostUsd)}) — judge: {report.Decision.OutcomeName}, {report.Decision.Reason}");
            ctx.Output.Line(text, $"[green]✓[/] {Spectre.Console.Markup.Escape(text)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ShadowService Service(CliContext ctx, IGlidepathStore store) =>
        new(ctx.Manifest, EnvironmentCommandSupport.Service(ctx, store), store.Environments, store.Shadows, ctx.Time);

    private static string Caps(ShadowState shadow) =>
        (shadow.MaxCostUsd, shadow.MaxRequests) switch
        {
            (null, null) => "",
            ({ } cost, null) => string.Create(CultureInfo.InvariantCulture, $" until {FigureText.Usd(cost)} spent"),
            (null, { } n) => string.Create(CultureInfo.InvariantCulture, $" for at most {n} requests"),
            ({ } cost, { } n) => string.Create(CultureInfo.InvariantCulture, $" until {FigureText.Usd(cost)} spent or {n} requests"),
        };

    private static async Task WriteStatusAsync(CliContext ctx, IGlidepathStore store, ShadowReport report, CancellationToken ct)
    {
        var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(new { shadow = ShadowView.From(report, names) });
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        var shadow = report.Shadow;
        var candidate = names.Label(shadow.ReleaseId);
        var where = report switch
        {
            { Active: false } => $"stopped at {TableText.Time(report.StoppedAt)} UTC{(report.StopReason is { } why ? $": {why}" : "")}",
            { CandidateIsStable: true } => $"active, but {candidate} is now the stable release: nothing is mirrored{(report.CapReached ? "; its cap was reached too" : "")} (end it: glidepath shadow stop --env {report.Environment})",
            { CapReached: true } => "active, cap reached: no more requests are mirrored",
            _ => "active",
        };
        var against = report.CandidateIsStable
            ? $"judged against {names.Label(report.StableReleaseId)}, the stable release it replaced,"
            : $"against stable {names.Label(report.StableReleaseId)}";
        ctx.Output.Line(string.Create(inv,
            $"{report.Environment}: shadow {shadow.ShadowId} of {candidate} {against} at {FigureText.Percent(shadow.Rate)} of stable requests{Caps(shadow)} — {where}"));
        ctx.Output.Line($"  started {TableText.Time(report.StartedAt)} UTC by {report.StartedBy}{(report.StartReason is { } r ? $": {r}" : "")}");
        if (report.PairsAgainstOtherStables.Count > 0)
        {
            var others = string.Join(", ", report.PairsAgainstOtherStables.Select(o => string.Create(inv, $"{o.Pairs} against {names.Label(o.StableReleaseId)}")));
            ctx.Output.Line($"  not judged: pairs with another stable release ({others}); the stable release changed during the shadow, and the judge reads only the pairs against {names.Label(report.StableReleaseId)}, as the checklist and rollout start --require-shadow do");
        }
        ctx.Output.Line(string.Create(inv,
            $"  pairs {report.Spend.Pairs}{(shadow.MaxRequests is { } max ? $" of {max}" : "")}, candidate spend {FigureText.Usd(report.Spend.CostUsd)}{(shadow.MaxCostUsd is { } cap ? $" of {FigureText.Usd(cap)}" : "")}, candidate errors {report.CandidateErrors}; requests a gateway dropped (queue full, or shadow stopped while they were queued) are counted on its /metrics as glidepath_shadow_dropped_total"));
        if (report.PairsAtStop is { } atStop && report.Spend.Pairs > atStop)
        {
            ctx.Output.Line(string.Create(inv,
                $"  {report.Spend.Pairs - atStop} of these pairs were stored after the stop (calls already in flight when it was stopped); the shadow_stop event recorded {atStop}"));
        }

        var evidence = report.Decision.Evidence;
        if (evidence.Count > 0)
        {
            var confidence = 1 - (evidence[0].Alpha * evidence.Count);
            ctx.Output.Table(
                ["metric", "candidate n", "stable n", "estimate", "interval", "tolerance", "verdict"],
                evidence.Select(TableText.MetricRow),
                title: string.Create(inv, $"paired differences, candidate − stable on the same inputs ({confidence:0.###} confidence, always-valid intervals)"));
        }

        var line = $"  judge: {report.Decision.OutcomeName} — {report.Decision.Reason}";
        ctx.Output.Line(line, report.Decision.Outcome switch
        {
            PairedOutcome.Harm => $"[red]{Spectre.Console.Markup.Escape(line)}[/]",
            PairedOutcome.Pass => $"[green]{Spectre.Console.Markup.Escape(line)}[/]",
            _ => null,
        });
    }
}
