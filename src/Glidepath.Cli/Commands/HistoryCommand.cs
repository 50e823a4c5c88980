using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath history --env E</c>: the environment's append-only audit trail.</summary>
internal static class HistoryCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var command = new Command("history", """
            Show an environment's append-only history, oldest first: every deploy, promote, rollback,
            freeze, unfreeze, rollout, drill and shadow event with its revision, time, actor, reason and release:
            from → to for a move of the stable pointer, "canary vN vs stable vM" for a rollout event that does not
            move it, "served vN, stable vM kept" for a drill, "shadow vN vs stable vM" for a shadow's start and stop.
            Forced promotions are marked. Each event's details read as key: value pairs (durations in seconds,
            ids shortened); --format json gives them as stored.

            Example:
              glidepath history --env production
            """)
        {
            environment,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                var json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/history", ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(json);
                    return ExitCodes.Ok;
                }

                var answer = Remote.RemoteJson.Read<Remote.Answers.HistoryAnswer>(json);
                return Write(ctx, answer.App, answer.Environment, answer.Events, "promote");
            }

            var store = await ctx.ReadStoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
            var app = ctx.Manifest.App;
            var views = new EnvironmentViews(await store.Releases.ListAsync(app, ct));
            var events = await store.Environments.HistoryAsync(app, spec.Name, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(EnvironmentReports.History(app, spec.Name, events, views));
                return ExitCodes.Ok;
            }

            return Write(ctx, app, spec.Name, [.. events.Select(views.Event)], spec.Requires.Count > 0 ? "promote" : "deploy");
        });
        return command;
    }

    private static int Write(CliContext ctx, string app, string environment, IReadOnlyList<EnvironmentEventView> events, string firstCommand)
    {
        if (events.Count == 0)
        {
            ctx.Output.Line($"{environment} has no history yet. Start it with 'glidepath {firstCommand} REF --env {environment}'.");
            return ExitCodes.Ok;
        }

        ctx.Output.Table(
            ["rev", "time (UTC)", "event", "release", "actor", "reason", "details"],
            events.Select(e => (IReadOnlyList<string>)
            [
                e.Revision.ToString(CultureInfo.InvariantCulture),
                TableText.Time(e.Time),
                e.Forced ? e.Kind + " (FORCED)" : e.Kind,
                e.ReleasesText,
                e.ActorText,
                e.Reason ?? "",
                EventDetailsText.Line(e.Details, e.Reason),
            ]),
            title: $"{app} / {environment}: history");
        return ExitCodes.Ok;
    }
}
