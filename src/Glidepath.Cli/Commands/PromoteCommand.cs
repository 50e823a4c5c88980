using System.CommandLine;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath promote REF --env E</c>: moves a release up the promotion path, enforcing the environment's policy.</summary>
internal static class PromoteCommand
{
    public static Command Build(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The release: v7, a hash prefix, env:NAME, git:REV or working (registered if new)" };
        var environment = EnvironmentCommandSupport.EnvOption();
        var reason = EnvironmentCommandSupport.ReasonOption("Why: recorded in the history (required with --force)");
        var force = new Option<bool>("--force") { Description = "Override unmet prerequisites (needs --reason); recorded as forced. Does not override a freeze" };
        var command = new Command("promote", """
            Make REF the stable release of an environment, if its policy allows:
              - every environment in its 'requires:' has had REF as its stable release, and
              - when it already has a stable release, the newest gate verdict for REF against that stable
                computed on the current eval.dataset and eval.scorers passed (written by
                'glidepath gate REF --baseline env:ENV'); a verdict on another dataset or other scorers does not count, and
              - the judge has not found harm in REF there against that stable: a rollout of REF rolled back for harm,
                or a shadow of REF stopped at harm (see 'glidepath history'), unless a later rollout of REF was
                promoted by the judge; nor does the active shadow of REF judge harm now ('glidepath shadow status').
            The first release into an empty environment needs only the first part; the history says so.
            Otherwise exit 4, naming what is missing and the command that provides it.

            Examples:
              glidepath promote v3 --env production
              glidepath promote v3 --env production --force --reason "hotfix for incident 4711; gate after"
            """)
        {
            reference,
            environment,
            reason,
            force,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (ctx.Remote is { } remote)
            {
                return await EnvironmentCommandSupport.RemoteOutcomeAsync(ctx, remote, parse.GetValue(environment)!, "promote",
                    new { release = parse.GetValue(reference), reason = parse.GetValue(reason), force = parse.GetValue(force) }, ct);
            }

            var store = await ctx.StoreAsync(ct);
            var service = EnvironmentCommandSupport.Service(ctx, store);
            var spec = service.Spec(parse.GetValue(environment)!);
            var release = await ctx.ResolveCheckedAsync(store, parse.GetValue(reference)!,
                r => service.CheckPromoteAsync(spec.Name, r, parse.GetValue(reason), parse.GetValue(force), ct), ct);
            var actor = await EnvironmentCommandSupport.ActorAsync(ctx, ct);
            var outcome = await service.PromoteAsync(spec.Name, release, actor, parse.GetValue(reason), parse.GetValue(force), ct);
            return await EnvironmentCommandSupport.WriteOutcomeAsync(ctx, store, outcome, ct);
        });
        return command;
    }
}
