using System.CommandLine;
using Glidepath.Checklist;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath checklist REF --env E [--stage before|rollout|after]</c>: the six steps as a gate, measured from the store.</summary>
internal static class ChecklistCommand
{
    public static Command Build(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The release: v7, a hash prefix, env:staging, git:REV or working" };
        var environment = EnvironmentCommandSupport.EnvOption();
        var stage = new Option<string?>("--stage") { Description = "Only the rows of one stage: before, rollout or after (default: all)" };
        stage.AcceptOnlyFromAmong([.. ChecklistOptions.Stages]);
        var drillAge = new Option<string?>("--drill-max-age") { Description = "A rollback drill counts when it passed within this long (default 30d)" };
        var tracesWithin = new Option<string?>("--traces-within") { Description = "Monitoring is on when traces arrived within this long (default 15m)" };
        var command = new Command("checklist", """
            Run the checklist for a release and an environment, every row measured from the store:
              before   isolated environment  stable in every 'requires' environment and served traffic there
                       eval gate             a passing verdict against the current baseline on the current dataset
                                             and scorers (says how many earlier runs of the pair blocked)
                       versioned             a registered release from a clean git commit
                       rollback ready        an owner, a known-good release to go back to, a passed drill
              rollout  shadow                a shadow the paired judge passed (skip when none ran; fail on harm)
                       canary first          an active or completed rollout that started below 100%
              after    monitoring on         online sampling above zero and recent traces
                       drift alerts          no drift alert of the release on the environment still open
            Each failing row says what to do; a pending row (the first step's decision not in yet) what to wait for.
            Exit 1 when a row fails or is pending: pending is not a pass. The checklist records a fingerprint of
            the environment's configuration, so that a drill older than a configuration change stops counting.

            Examples:
              glidepath checklist v7 --env production --stage before
              glidepath checklist env:production --env production --stage after --format json
            """)
        {
            reference,
            environment,
            stage,
            drillAge,
            tracesWithin,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var resolver = ctx.ReleaseResolver(store);
            var release = await resolver.ResolveAsync(parse.GetValue(reference)!, register: false, ct);
            var options = new ChecklistOptions
            {
                Stage = parse.GetValue(stage),
                DrillMaxAge = CliDurations.Parse(parse.GetValue(drillAge), "--drill-max-age", TimeSpan.FromDays(30)),
                TracesWithin = CliDurations.Parse(parse.GetValue(tracesWithin), "--traces-within", TimeSpan.FromMinutes(15)),
            };
            var rows = await new ChecklistService(ctx.Manifest, store, ctx.Time, options).RunAsync(release, spec, ct);
            var failed = rows.Count(r => r.Failed);
            var pending = rows.Count(r => r.Pending);
            var exit = failed + pending == 0 ? ExitCodes.Ok : ExitCodes.Negative;
            var label = release.Version == 0 ? $"{release.Message ?? "working"} ({release.ShortId})" : release.Label;
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new
                {
                    release = new { name = release.Version == 0 ? null : release.Name, id = release.Id, label },
                    environment = spec.Name,
                    stage = options.Stage ?? "all",
                    passed = exit == ExitCodes.Ok,
                    pending,
                    rows = rows.Select(r => new { stage = r.Stage, check = r.Check, status = r.Status, measured = r.Measured, action = r.Action }),
                });
                return exit;
            }

            ctx.Output.Table(
                ["stage", "check", "result", "measured"],
                rows.Select(r => (IReadOnlyList<string>)[r.Stage, r.Check, r.Status switch { ChecklistStatus.Pass => "✓ pass", ChecklistStatus.Fail => "✗ FAIL", ChecklistStatus.Pending => "… pending", _ => "– skip" }, r.Measured]),
                title: $"checklist: {label} → {spec.Name}");
            foreach (var r in rows.Where(r => r.Failed))
            {
                ctx.Output.Line($"✗ {r.Check}: {r.Action}", $"[red]✗ {Spectre.Console.Markup.Escape(r.Check)}[/]: {Spectre.Console.Markup.Escape(r.Action!)}");
            }

            foreach (var r in rows.Where(r => r.Pending))
            {
                ctx.Output.Line($"… {r.Check}: {r.Action}", $"[yellow]… {Spectre.Console.Markup.Escape(r.Check)}[/]: {Spectre.Console.Markup.Escape(r.Action!)}");
            }

            ctx.Output.Line((failed, pending) switch
            {
                (0, 0) => $"All {rows.Count} row(s) hold for {label} on {spec.Name}.",
                (0, _) => $"{pending} of {rows.Count} row(s) pending, none failed: {label} is not ready for {spec.Name} yet.",
                (_, 0) => $"{failed} of {rows.Count} row(s) failed: {label} is not ready for {spec.Name}.",
                _ => $"{failed} of {rows.Count} row(s) failed and {pending} pending: {label} is not ready for {spec.Name}.",
            });
            return exit;
        });
        return command;
    }
}
