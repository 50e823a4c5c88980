using System.CommandLine;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath deploy REF --env E</c>: points an environment without a promotion path at a release.</summary>
internal static class DeployCommand
{
    public static Command Build(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The release: v7, a hash prefix, env:NAME, git:REV or working (registered if new)" };
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption();
        var command = new Command("deploy", """
            Point an environment's stable release at REF directly. Only for environments without a promotion
            path ('requires:' in the manifest); those take 'glidepath promote' or 'glidepath rollout start'.
            Refused (exit 4) while the environment is frozen or a canary is active, or when another change
            landed since this command read the environment.

            Example:
              glidepath deploy v3 --env staging --reason "try the shorter refund wording"
            """)
        {
            reference,
            environment,
            reason,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var release = await ctx.ResolveCheckedAsync(store, parse.GetValue(reference)!, r => service.CheckDeployAsync(spec.Name, r, ct), ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var outcome = await service.DeployAsync(spec.Name, release, actor, parse.GetValue(reason), ct);
            return await EnvironmentCommandSupport.WriteOutcomeAsync(ctx, store, outcome, ct);
        });
        return command;
    }
}
