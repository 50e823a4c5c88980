using System.CommandLine;
using Glidepath.Environments;
using Glidepath.Shadow;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath shadow list</c>: every shadow an environment had, so an earlier one can be read (<c>shadow status --shadow ID</c>).</summary>
internal static class ShadowListCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var command = new Command("list", """
            List every shadow the environment had, newest first: its id, candidate, the stable release it is judged
            against, when it started and stopped, the pairs stored (those stored after the stop included, by calls in
            flight at it) and the paired judge's outcome on them now. One in full: shadow status --shadow ID.

            Example:
              glidepath shadow list --env production
            """)
        {
            environment,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var name = parse.GetValue(environment)!;
            ShadowList list;
            string? json = null;
            if (ctx.Remote is { } remote)
            {
                json = await remote.GetAsync($"environments/{Remote.RemoteJson.Env(name)}/shadows", ct);
                list = Remote.RemoteJson.Read<ShadowList>(json);
            }
            else
            {
                var store = await ctx.ReadStoreAsync(ct);
                list = await ShadowList.ReadAsync(ShadowCommand.Service(ctx, store), store.Releases, ctx.Manifest.App, name, ct);
            }

            if (ctx.Output.IsJson)
            {
                if (json is not null)
                {
                    ctx.Output.RawJson(json);
                }
                else
                {
                    ctx.Output.Json(list);
                }
            }
            else
            {
                ShadowOutput.WriteList(ctx, list);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
