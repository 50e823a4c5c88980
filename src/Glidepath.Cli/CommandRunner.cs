using System.CommandLine;

namespace Glidepath.Cli;

/// <summary>
/// Runs a command body and turns failures into one clear line and the documented exit code; a store the command created
/// and wrote nothing to is taken back when it fails (<see cref="CliContext.FinishAsync"/>).
/// </summary>
internal static class CommandRunner
{
    public static void SetAction(this Command command, CliEnvironment env, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = new CliContext(parse, env);
            int code;
            try
            {
                code = await body(context, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                code = await CliFailure.InterruptedAsync(env, context.Output.IsJson, "cancelled; work finished so far is saved.", context.Resume, context.Output.Lines).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                code = await CliFailure.ReportAsync(ex, env, context.Output.IsJson, context.Resume, context.Output.Lines, context.StoreInUse).ConfigureAwait(false);
            }

            return await context.FinishAsync(code).ConfigureAwait(false);
        });
}
