using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Cli;

/// <summary>Runs a command body and turns failures into one clear line and the documented exit code.</summary>
internal static class CommandRunner
{
    public static void SetAction(this Command command, CliEnvironment env, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = new CliContext(parse, env);
            try
            {
                return await body(context, parse, cancellationToken).ConfigureAwait(false);
            }
            catch (ManifestException ex)
            {
                foreach (var error in ex.Errors)
                {
                    await env.Stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
                }

                await env.Stderr.WriteLineAsync($"{ex.Errors.Count} problem(s) in the manifest; nothing was written.").ConfigureAwait(false);
                context.Output.JsonError(ex.Message, ex.ExitCode);
                return ex.ExitCode;
            }
            catch (GlidepathException ex)
            {
                await env.Stderr.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                context.Output.JsonError(ex.Message, ex.ExitCode);
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await env.Stderr.WriteLineAsync("cancelled; work finished so far is saved.").ConfigureAwait(false);
                return 130;
            }
        });
}
