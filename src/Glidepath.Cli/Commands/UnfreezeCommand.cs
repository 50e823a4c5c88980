using System.CommandLine;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath unfreeze --env E</c>: lifts the kill switch.</summary>
internal static class UnfreezeCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("unfreeze", """
            Lift the kill switch: deploy, promote and rollout start are allowed again.

            Example:
              glidepath unfreeze --env production --reason "incident 4711 resolved"
            """)
        {
            environment,
            reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await EnvironmentCommandSupport.RemoteOutcomeAsync(ctx, remote, parse.GetValue(environment)!, "unfreeze", new { reason = parse.GetValue(reason) }, ct);
            }

            var store = await ctx.ExistingStoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var outcome = await service.UnfreezeAsync(spec.Name, actor, parse.GetValue(reason), ct);
            return await EnvironmentCommandSupport.WriteOutcomeAsync(ctx, store, outcome, ct);
        });
        return command;
    }
}
