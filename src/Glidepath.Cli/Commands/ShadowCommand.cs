using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath shadow start|status|list|stop</c>: a candidate answers real requests in the background, judged pair by pair.</summary>
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
              glidepath shadow list --env production
            """);
        command.Subcommands.Add(Start(env));
        command.Subcommands.Add(Status(env));
        command.Subcommands.Add(ShadowListCommand.Build(env));
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
            var name = parse.GetValue(environment)!;
            if (ctx.Remote is { } remote)
            {
                var body = new Dictionary<string, object?>
                {
                    ["release"] = parse.GetValue(reference),
                    ["rate"] = parse.GetValue(rate),
                    ["max_cost_usd"] = parse.GetValue(maxCost),
                    ["max_requests"] = parse.GetValue(maxRequests),
                    ["reason"] = parse.GetValue(reason),
                };
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(name)}/shadow/start", body, ct);
                return WriteStarted(ctx, Remote.RemoteJson.Read<ShadowAnswer>(json), json);
            }

            var store = await ctx.StoreAsync(ct);
            var service = Service(ctx, store);
            var release = await ctx.ResolveCheckedAsync(store, parse.GetValue(reference)!,
                r => service.CheckStartAsync(name, r, parse.GetValue(rate), parse.GetValue(maxCost), parse.GetValue(maxRequests), ct), ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var shadow = await service.StartAsync(name, release, parse.GetValue(rate), parse.GetValue(maxCost), parse.GetValue(maxRequests), actor, parse.GetValue(reason), ct);
            var report = (await service.ReportAsync(name, ct))!;
            var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            return WriteStarted(ctx, new ShadowAnswer(ShadowView.From(report, names), await service.StartNotesAsync(name, shadow, store.Traces, ct)), null);
        });
        return command;
    }

    /// <summary>
    /// What <c>shadow start</c> prints, from the same document locally and through the admin API (<paramref name="json"/>:
    /// the server's answer, printed as it came with <c>--format json</c>).
    /// </summary>
    private static int WriteStarted(CliContext ctx, ShadowAnswer answer, string? json)
    {
        foreach (var note in answer.Notes)
        {
            ctx.Output.Note($"note: {note}");
        }

        if (ctx.Output.IsJson)
        {
            WriteJson(ctx, answer, json);
            return ExitCodes.Ok;
        }

        var view = answer.Shadow;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{view.Environment}: shadow {view.ShadowId} of {view.Candidate?.Label ?? "-"} started: {FigureText.Percent(view.Rate)} of stable {view.Stable?.Label ?? "-"}'s requests{ShadowOutput.Caps(view.MaxCostUsd, view.MaxRequests)}; every 'glidepath serve --env {view.Environment}' gateway and SDK app serving {view.Environment} mirrors them");
        ctx.Output.Line(text, $"[green]✓[/] {Spectre.Console.Markup.Escape(text)}");
        ctx.Output.Line($"  watch it: glidepath shadow status --env {view.Environment} --watch");
        return ExitCodes.Ok;
    }

    private static void WriteJson(CliContext ctx, ShadowAnswer answer, string? json)
    {
        if (json is not null)
        {
            ctx.Output.RawJson(json);
        }
        else
        {
            ctx.Output.Json(answer);
        }
    }

    private static Command Status(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh until the judge decides (pass or harm) or the shadow ends; exit 0 on pass, 1 on harm (this shadow's, or an earlier one's of the same release) or when the shadow ends (stopped, cap reached) before a decision; a refresh the store (or --server) fails is reported on one line and retried at the interval (with --format json: one compact document per refresh, one per line); Ctrl-C stops watching with exit 130" };
        var interval = new Option<string>("--interval") { Description = "Refresh interval with --watch", DefaultValueFactory = _ => "2s" };
        var shadow = new Option<string?>("--shadow") { Description = "Show this shadow of the environment (an id such as sh-1a2b3c4d5e6f, from 'glidepath shadow list'), active or stopped, with the pairs stored after its stop; default: the active or last one" };
        var command = new Command("status", """
            Show the environment's active (or last) shadow: the candidate, the rate and caps, the pairs stored and
            the candidate's spend, what the gateways claimed of the caps, where each gateway counts the requests it
            did not mirror (its /metrics and /readyz: not in the store, so not shown here), and the paired judge's
            table (per metric, the mean difference candidate − stable with its always-valid interval against the
            rollout plan's tolerance) and decision: pass, harm or collecting. Exit 1 when the decision is harm,
            or when it is pass but an earlier shadow of the same release against the same stable was judged harm
            (a release does not change). An earlier shadow: --shadow ID (the ids: glidepath shadow list).

            Examples:
              glidepath shadow status --env production
              glidepath shadow status --env production --watch --format json
              glidepath shadow status --env production --shadow sh-1a2b3c4d5e6f
            """)
        {
            environment, watch, interval, shadow,
        };
        command.SetAction(env, (ctx, parse, ct) =>
            WatchLoop.EndedByCtrlCAsync(ctx, parse.GetValue(watch), "the shadow", () => ShowStatusAsync(ctx, parse, environment, watch, interval, shadow, ct), ct));
        return command;
    }

    private static async Task<int> ShowStatusAsync(CliContext ctx, ParseResult parse, Option<string> environment, Option<bool> watch, Option<string> interval, Option<string?> shadow, CancellationToken ct)
    {
        var shadowId = parse.GetValue(shadow);
        var watching = parse.GetValue(watch);
        ctx.Output.Lines = watching; // a document per refresh: JSON Lines
        var name = parse.GetValue(environment)!;
        var every = DurationParser.Positive(parse.GetValue(interval), "--interval", "2s, 1m") ?? TimeSpan.FromSeconds(2);
        Func<CancellationToken, Task<(ShadowStatus Status, string? Json)>> read;
        if (ctx.Remote is { } remote)
        {
            // Through the admin API: the same document the store gives, printed as it came (JSON) or read back (text).
            read = async c =>
            {
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(name)}/shadow{(shadowId is null ? "" : $"?shadow={Uri.EscapeDataString(shadowId)}")}", c);
                return (Remote.RemoteJson.Read<ShadowStatus>(json), json);
            };
        }
        else
        {
            var store = await ctx.ReadStoreAsync(ct);
            var service = Service(ctx, store);
            read = async c => (await ShadowStatus.ReadAsync(service, store.Releases, ctx.Manifest.App, name, c, shadowId)
                ?? throw ShadowStatus.NoShadow(name), null);
        }

        return await WatchLoop.RunAsync(ctx, watching, every, async c => Show(ctx, watching, await read(c)), ct);
    }

    /// <summary>Prints one refresh of <c>shadow status</c>; the exit code when the watch (or the command) is over, null to go on.</summary>
    private static int? Show(CliContext ctx, bool watching, (ShadowStatus Status, string? Json) read)
    {
        var (status, json) = read;
        var view = status.Shadow;
        if (json is not null && ctx.Output.IsJson)
        {
            ctx.Output.RawJson(json);
        }
        else if (ctx.Output.IsJson)
        {
            ctx.Output.Json(status);
        }
        else
        {
            ShadowOutput.WriteStatus(ctx, view);
        }

        var decided = view.Outcome != "collecting";
        if (status.EarlierHarm is { } harmed)
        {
            // A release does not change: this pass does not undo an earlier harm (the checklist and
            // --require-shadow say the same), so 'status --watch && rollout start' must stop here too.
            ctx.Output.Note($"an earlier shadow of the same release ({harmed.ShadowId}) was judged harm ({harmed.Reason}); this pass does not undo that");
            return ExitCodes.Negative;
        }

        if (!watching)
        {
            return view.Outcome == "harm" ? ExitCodes.Negative : ExitCodes.Ok;
        }

        if (decided || !view.Active || view.CapReached || view.CandidateIsStable)
        {
            // A watch that ends without a pass is not one: 'shadow status --watch && rollout start' must stop.
            if (!decided)
            {
                var ended = !view.Active ? "was stopped" : view.CandidateIsStable ? "stopped mirroring (its candidate became the stable release)" : "reached its cap";
                ctx.Output.Note($"the shadow {ended} before the judge decided ({view.Decision}): no pass");
            }

            return view.Outcome == "pass" ? ExitCodes.Ok : ExitCodes.Negative;
        }

        return null;
    }

    private static Command Stop(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("stop", """
            Stop the environment's shadow: gateways mirror no more requests. Says how many pairs were stored; they
            stay, so the judge's decision still counts as evidence (the checklist, rollout start --require-shadow).
            Calls in flight at the stop may store a few more after it (shadow status shows them). Recorded in the
            history (shadow_stop) with the pairs, the spend and the judge's outcome. Allowed while frozen.

            Example:
              glidepath shadow stop --env production --reason "enough evidence"
            """)
        {
            environment, reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var name = parse.GetValue(environment)!;
            if (ctx.Remote is { } remote)
            {
                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(name)}/shadow/stop", new { reason = parse.GetValue(reason) }, ct);
                return WriteStopped(ctx, Remote.RemoteJson.Read<ShadowAnswer>(json), json);
            }

            var store = await ctx.StoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var report = await Service(ctx, store).StopAsync(name, actor, parse.GetValue(reason), ct);
            var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            return WriteStopped(ctx, new ShadowAnswer(ShadowView.From(report, names), []), null);
        });
        return command;
    }

    private static int WriteStopped(CliContext ctx, ShadowAnswer answer, string? json)
    {
        if (ctx.Output.IsJson)
        {
            WriteJson(ctx, answer, json);
            return ExitCodes.Ok;
        }

        var text = ShadowOutput.Stopped(answer.Shadow);
        ctx.Output.Line(text, $"[green]✓[/] {Spectre.Console.Markup.Escape(text)}");
        return ExitCodes.Ok;
    }

    internal static ShadowService Service(CliContext ctx, IGlidepathStore store) =>
        new(ctx.Manifest, EnvironmentCommandSupport.Service(ctx, store), store.Environments, store.Shadows, ctx.Time);
}
