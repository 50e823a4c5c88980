using System.CommandLine;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath rollback --env E [--to REF]</c>: one step back to the last known-good release.</summary>
internal static class RollbackCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var to = new Option<string?>("--to") { Description = "Roll back further, to this known-good release (an earlier stable not rolled back from)" };
        var reason = EnvironmentCommandSupport.ReasonOption();
        var expect = new Option<long?>("--expect-revision")
        {
            Description = "Roll back only if nothing that changes what it does happened since this revision (from 'glidepath status'): the stable moved, or a canary started or ended; otherwise nothing is rolled back and the refusal (exit 4) says what changed (a canary's step, a hold, a pause or a freeze since then do not refuse it)",
        };
        var command = new Command("rollback", """
            One step back, in one transaction: the environment's stable release returns to the previous
            known-good one (the last stable release that was not itself rolled back from). With an active
            canary, rollback ends the canary and all traffic goes to the stable release. Allowed while frozen.

            Examples:
              glidepath rollback --env production --reason "refund answers regressed"
              glidepath rollback --env production --to v1
              glidepath rollback --env production --expect-revision 12   # only if neither the stable nor a canary changed since revision 12
            """)
        {
            environment,
            to,
            reason,
            expect,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await EnvironmentCommandSupport.RemoteOutcomeAsync(ctx, remote, parse.GetValue(environment)!, "rollback",
                    new { to = parse.GetValue(to), reason = parse.GetValue(reason), expected_revision = parse.GetValue(expect) }, ct);
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var target = parse.GetValue(to) is { } r ? await ctx.ReleaseResolver(store).ResolveAsync(r, register: false, ct) : null;
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var outcome = await RolloutCommand.Service(ctx, store).RollbackAsync(spec.Name, target, actor, parse.GetValue(reason), parse.GetValue(expect), ct);
            return await EnvironmentCommandSupport.WriteOutcomeAsync(ctx, store, outcome, ct);
        });
        return command;
    }
}
