using System.CommandLine;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath rollout start|status|pause|resume|abort|promote</c>: canary rollouts judged step by step.</summary>
internal static class RolloutCommand
{
    public static Command Build(CliEnvironment env)
    {
        var command = new Command("rollout", """
            Canary rollouts: a release gets a growing share of an environment's traffic (steps such as 1, 5, 25, 50,
            100 percent) while a judge compares it with the stable release on live signals and advances, holds or
            rolls back. The controller runs inside 'glidepath serve' (or 'glidepath controller' beside an SDK host);
            these commands start and steer it.

            Examples:
              glidepath rollout start v3 --env production
              glidepath rollout status --env production --watch
            """);
        command.Subcommands.Add(Start(env));
        command.Subcommands.Add(Status(env));
        command.Subcommands.Add(RolloutPlanCommand.Create(env));
        command.Subcommands.Add(Simple(env, "pause", "Stop advancing: the canary keeps its weight until resumed (harm is still rolled back).", (s, e, a, r, ct) => s.PauseAsync(e, a, r, ct)));
        command.Subcommands.Add(Simple(env, "resume", "Resume a paused rollout; the step's time limit starts again.", (s, e, a, r, ct) => s.ResumeAsync(e, a, r, ct)));
        command.Subcommands.Add(Simple(env, "abort", "End the rollout now: the canary gets no more traffic, the stable release stays. Allowed while frozen.", async (s, e, a, r, ct) => new RolloutChange(await s.AbortAsync(e, a, r, ct), true)));
        command.Subcommands.Add(Promote(env));
        return command;
    }

    private static Command Start(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The release: v7, a hash prefix, env:NAME, git:REV or working (registered if new)" };
        var environment = EnvironmentCommandSupport.EnvOption();
        var steps = new Option<string?>("--steps") { Description = "Canary percentages, e.g. 1,5,25 (100 is added at the end); default: the manifest's rollout.steps" };
        var minRequests = new Option<int?>("--min-requests") { Description = "Canary and stable requests each step needs before it may advance; default: rollout.step.min_requests" };
        var maxDuration = new Option<string?>("--max-duration") { Description = "Time limit of a step, e.g. 10m; then on_inconclusive applies; default: rollout.step.max_duration" };
        var force = new Option<bool>("--force") { Description = "Start although the promotion prerequisites are unmet (needs --reason); recorded as forced. Does not override a freeze" };
        var reason = EnvironmentCommandSupport.ReasonOption("Why: recorded in the history (required with --force)");
        var requireShadow = new Option<bool>("--require-shadow") { Description = "Refuse unless a shadow of REF against the environment's stable release has passed (glidepath shadow); --force does not override it" };
        var command = new Command("start", """
            Start a canary of REF in an environment. It needs the same evidence as 'glidepath promote': REF has been
            stable in every environment the target 'requires:', a passing gate verdict exists for REF against the
            target's stable release on the current dataset and scorers, and the judge has not found harm in REF there
            against that stable (an earlier rollout of REF rolled back for harm, a shadow of REF stopped at harm, the
            active shadow of REF judged harm now).
            The stable release must exist: the first release goes in with deploy on the first environment of the
            promotion path, then promote up to this one (the refusal prints the commands).

            Examples:
              glidepath rollout start v3 --env production
              glidepath rollout start v3 --env production --steps 1,5,25 --min-requests 500 --max-duration 20m
              glidepath rollout start v3 --env production --require-shadow
            """)
        {
            reference, environment, steps, minRequests, maxDuration, force, reason, requireShadow,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var body = new Dictionary<string, object?>
                {
                    ["release"] = parse.GetValue(reference),
                    ["steps"] = parse.GetValue(steps),
                    ["min_requests"] = parse.GetValue(minRequests),
                    ["max_duration"] = parse.GetValue(maxDuration),
                    ["reason"] = parse.GetValue(reason),
                    ["force"] = parse.GetValue(force),
                };
                if (parse.GetValue(requireShadow))
                {
                    // Only when asked: a gateway from before the field refuses it (400), never starts without the check.
                    body["require_shadow"] = true;
                }

                var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/rollout/start", body, ct);
                var answer = Remote.RemoteJson.Read<Remote.Answers.RolloutAnswer>(json);
                if (answer.Note is { } said)
                {
                    ctx.Output.Note(said); // the server's manifest decides it (a gateway from before the field sends none)
                }

                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                return RolloutOutput.WriteStarted(ctx, answer.Rollout, answer.JudgedBy);
            }

            var store = await ctx.StoreAsync(ct);
            var service = Service(ctx, store);
            var plan = RolloutService.PlanFrom(ctx.Manifest, RolloutSteps.Parse(parse.GetValue(steps)), parse.GetValue(minRequests), CliDurations.ParseOptional(parse.GetValue(maxDuration), "--max-duration"));
            string? harmNote = null;
            var release = await ctx.ResolveCheckedAsync(store, parse.GetValue(reference)!, async r =>
            {
                if (parse.GetValue(requireShadow))
                {
                    await new ShadowService(ctx.Manifest, EnvironmentCommandSupport.Service(ctx, store), store.Environments, store.Shadows, ctx.Time)
                        .RequirePassedAsync(parse.GetValue(environment)!, r, ct);
                }

                harmNote = (await service.CheckStartAsync(parse.GetValue(environment)!, r, plan, parse.GetValue(reason), parse.GetValue(force), ct)).HarmNote;
            }, ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var rollout = await service.StartAsync(parse.GetValue(environment)!, release, plan, actor, parse.GetValue(reason), parse.GetValue(force), ct);
            if (harmNote is not null)
            {
                ctx.Output.Note(harmNote); // a harm against an earlier stable: said, not refused
            }

            var (startNote, judgedBy) = await service.StartNoteAsync(rollout, release, ct);
            if (startNote is not null)
            {
                ctx.Output.Note(startNote);
            }

            var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(RolloutReports.Started(rollout, names, RolloutService.JoinNotes(harmNote, startNote), judgedBy));
                return ExitCodes.Ok;
            }

            return RolloutOutput.WriteStarted(ctx, RolloutView.From(rollout, names), judgedBy);
        });
        return command;
    }

    private static Command Status(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh until the rollout ends, then exit as without --watch (0 promoted, 1 rolled back or aborted); a refresh the store (or --server) fails is reported on one line and retried at the interval, for as long as it fails (with --format json: one compact document per refresh, one per line)" };
        var interval = new Option<string>("--interval") { Description = "Refresh interval with --watch", DefaultValueFactory = _ => "2s" };
        var command = new Command("status", """
            Show the environment's current (or last) rollout: step and weight, requests per arm in this step, each
            metric's estimate and always-valid interval against its tolerance, the judge's verdict right now, and
            the last decision with its reason.

            Exit codes, the same with and without --watch (--watch exits once the rollout has ended):
              0  the rollout is in progress or paused (without --watch), or was promoted
              1  the rollout was rolled back (by the judge or by hand) or aborted: its release is not stable
              2  the environment has had no rollout (or bad usage)
              3  the store (or --server) could not be read

            Examples:
              glidepath rollout status --env production
              glidepath rollout status --env production --watch --format json
            """)
        {
            environment, watch, interval,
        };
        command.SetAction(env, (ctx, parse, ct) =>
            WatchLoop.EndedByCtrlCAsync(ctx, parse.GetValue(watch), "the rollout", () => ShowStatusAsync(ctx, parse, environment, watch, interval, ct), ct));
        return command;
    }

    private static async Task<int> ShowStatusAsync(CliContext ctx, ParseResult parse, Option<string> environment, Option<bool> watch, Option<string> interval, CancellationToken ct)
    {
        var watching = parse.GetValue(watch);
        ctx.Output.Lines = watching; // a document per refresh: JSON Lines
        var every = CliDurations.ParseOptional(parse.GetValue(interval), "--interval") ?? TimeSpan.FromSeconds(2);
        if (ctx.Remote is { } remote)
        {
            return await WatchLoop.RunAsync(ctx, watching, every, async c =>
            {
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/rollout", c);
                var answer = Remote.RemoteJson.Read<Remote.Answers.RolloutStatusAnswer>(json);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                }
                else
                {
                    RolloutOutput.WriteStatusText(ctx, answer, ctx.Time.GetUtcNow());
                }

                var state = answer.Rollout.State;
                return !watching || !RolloutState.IsActive(state) ? StatusExit(state) : null;
            }, ct);
        }

        var store = await ctx.ReadStoreAsync(ct);
        var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
        return await WatchLoop.RunAsync(ctx, watching, every, async c =>
        {
            var rollout = await store.Rollouts.LatestAsync(ctx.Manifest.App, spec.Name, c)
                ?? throw RolloutReports.NoRollout(spec.Name);
            await RolloutOutput.WriteStatusAsync(ctx, store, rollout, c);
            return !watching || !rollout.IsActive ? StatusExit(rollout.State) : null;
        }, ct);
    }

    /// <summary>
    /// One table for <c>status</c> and <c>status --watch</c>: a rollout that ended without its release becoming stable
    /// (rolled back, or aborted) is 1. Until 2026-12-07 an aborted rollout was 0 without --watch and 1 with it (newcomer
    /// trial L7).
    /// </summary>
    private static int StatusExit(string state) =>
        state is RolloutState.RolledBack or RolloutState.Aborted ? ExitCodes.Negative : ExitCodes.Ok;

    private static Command Simple(CliEnvironment env, string name, string description, Func<RolloutService, string, string, string?, CancellationToken, Task<RolloutChange>> act)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command(name, $"""
            {description}

            Example:
              glidepath rollout {name} --env production --reason "..."
            """)
        {
            environment, reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await RemoteChangedAsync(ctx, remote, parse.GetValue(environment)!, name, new { reason = parse.GetValue(reason) }, ct);
            }

            var store = await ctx.StoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var change = await act(Service(ctx, store), parse.GetValue(environment)!, actor, parse.GetValue(reason), ct);
            return await WriteChangedAsync(ctx, store, change, ct);
        });
        return command;
    }

    private static Command Promote(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var full = new Option<bool>("--full") { Description = "Go straight to 100%: the canary becomes the stable release now" };
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("promote", """
            Advance the rollout one step now without waiting for the judge, or with --full make the canary the
            stable release at once. A paused rollout stays paused at the new weight (resume hands it back to the
            judge). Recorded with who did it and why. Refused while the environment is frozen.

            Examples:
              glidepath rollout promote --env production
              glidepath rollout promote --env production --full --reason "verified by hand"
            """)
        {
            environment, full, reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await RemoteChangedAsync(ctx, remote, parse.GetValue(environment)!, "promote", new { full = parse.GetValue(full), reason = parse.GetValue(reason) }, ct);
            }

            var store = await ctx.StoreAsync(ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var rollout = await Service(ctx, store).PromoteAsync(parse.GetValue(environment)!, parse.GetValue(full), actor, parse.GetValue(reason), ct);
            return await WriteChangedAsync(ctx, store, new RolloutChange(rollout, true), ct);
        });
        return command;
    }

    internal static RolloutService Service(CliContext ctx, IGlidepathStore store) =>
        new(ctx.Manifest, EnvironmentCommandSupport.Service(ctx, store), store.Environments, store.Rollouts, store.Traces, ctx.Time);

    private static async Task<int> WriteChangedAsync(CliContext ctx, IGlidepathStore store, RolloutChange change, CancellationToken ct)
    {
        var names = new EnvironmentViews(await store.Releases.ListAsync(ctx.Manifest.App, ct));
        var last = change.Changed ? (await store.Rollouts.DecisionsAsync(change.Rollout.Id, ct))[^1] : null;
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(RolloutReports.Changed(change.Rollout, last, names));
            return ExitCodes.Ok;
        }

        var view = RolloutView.From(change.Rollout, names);
        return RolloutOutput.WriteChangedText(ctx, view, last?.Reason ?? RolloutOutput.Unchanged(view));
    }

    private static async Task<int> RemoteChangedAsync(CliContext ctx, Remote.RemoteAdmin remote, string environment, string verb, object body, CancellationToken ct)
    {
        var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(environment)}/rollout/{verb}", body, ct);
        if (ctx.Output.IsJson)
        {
            ctx.Output.RawJson(json);
            return ExitCodes.Ok;
        }

        var answer = Remote.RemoteJson.Read<Remote.Answers.RolloutAnswer>(json);
        return RolloutOutput.WriteChangedText(ctx, answer.Rollout, answer.Decision?.Reason ?? RolloutOutput.Unchanged(answer.Rollout));
    }
}
