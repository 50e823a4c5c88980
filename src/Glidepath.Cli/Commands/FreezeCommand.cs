using System.CommandLine;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath freeze --env E --reason "…"</c>: the kill switch.</summary>
internal static class FreezeCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = new Option<string>("--reason") { Description = "Why: shown to everyone refused while frozen", Required = true };
        var command = new Command("freeze", """
            The kill switch: while an environment is frozen, deploy, promote and rollout start are refused
            (exit 4); rollback stays allowed. The stable release keeps serving.

            Example:
              glidepath freeze --env production --reason "incident 4711: refunds misquoted"
            """)
        {
            environment,
            reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await EnvironmentCommandSupport.RemoteOutcomeAsync(ctx, remote, parse.GetValue(environment)!, "freeze", new { reason = parse.GetValue(reason) }, ct);
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var outcome = await service.FreezeAsync(spec.Name, actor, parse.GetValue(reason)!, ct);
            return await EnvironmentCommandSupport.WriteOutcomeAsync(ctx, store, outcome, ct);
        });
        return command;
    }
}
