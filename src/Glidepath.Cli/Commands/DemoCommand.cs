using System.CommandLine;
using Glidepath.Cli.Demo;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath demo</c>: the whole safe path on the bundled sample, with nothing to install.</summary>
internal static class DemoCommand
{
    public static Command Build(CliEnvironment env)
    {
        var fast = new Option<bool>("--fast") { Description = "Shorten every wait (a faster simulated model, smaller rollout steps)" };
        var keep = new Option<string?>("--keep") { Description = "Run in this (empty) folder and keep it afterwards, to explore with the CLI" };
        var command = new Command("demo", """
            Walk the six steps of the safe path on the bundled support-agent sample, with the embedded
            defaults (a SQLite store in a temporary folder, the simulated model, no keys):
              1. version the change, deploy to staging, promote to production
              2. the eval gate blocks a broken change and passes a good one; release diff
              3. a gateway serves synthetic customer traffic; a rollback drill on staging
              4. a canary rollout of the good change, judged step by step, to 100%
              5. a release with a subtle online regression: the canary catches it and rolls back by itself
              6. the checklist, and where to go next
            Exit 0 when every step turned out as expected.

            Examples:
              glidepath demo
              glidepath demo --fast --keep ./demo-app
            """)
        {
            fast,
            keep,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var runner = new DemoRunner(ctx, parse.GetValue(fast));
            var outcome = await runner.RunAsync(parse.GetValue(keep), ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { succeeded = outcome.Succeeded, outcome });
            }

            return outcome.Succeeded ? ExitCodes.Ok : ExitCodes.Negative;
        });
        return command;
    }
}
