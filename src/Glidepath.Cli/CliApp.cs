using System.CommandLine;
using Glidepath.Cli.Commands;
using Glidepath.Errors;

namespace Glidepath.Cli;

/// <summary>Builds the <c>glidepath</c> command tree and runs it with the given writers.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool isTerminal, CancellationToken cancellationToken) =>
        RunAsync(args, new CliEnvironment(stdout, stderr, isTerminal), cancellationToken);

    /// <summary>Runs with a prepared environment (tests use it to swap the clock or the model clients).</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken)
    {
        try
        {
            return await RunCoreAsync(args, env, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return await CliFailure.InterruptedAsync(env, IsJson(args), "cancelled.").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The catch-all: anything a command did not turn into an exit code is one line and exit 3.
            return await CliFailure.ReportAsync(ex, env, json: IsJson(args)).ConfigureAwait(false);
        }
    }

    private static async Task<int> RunCoreAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (env.Stdout, env.Stderr);
        var root = Build(env, args);
        var parse = root.Parse(HelpRequest(args, root));
        if ((parse.Errors.Count > 0 || CliUsage.OptionsTakenAsArguments(parse).Count > 0) && parse.Action is not System.CommandLine.Help.HelpAction)
        {
            var messages = CliUsage.Messages(parse);
            foreach (var message in messages)
            {
                await stderr.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            }

            var help = $"Run '{string.Join(' ', CommandPath(parse))} --help' for usage.";
            await stderr.WriteLineAsync(help).ConfigureAwait(false);
            if (IsJson(args))
            {
                // Machines asked for JSON get the same error object as every other failure, and exit 2.
                await stdout.WriteLineAsync(CliOutput.ErrorObject(string.Join("; ", messages), ExitCodes.BadInput, usage: help)).ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }

        if (parse.Action is System.CommandLine.Help.HelpAction)
        {
            // A command's help leaves out the global options it refuses (init: --manifest, --store, --server, --token).
            using var help = new StringWriter();
            var shown = await parse.InvokeAsync(new InvocationConfiguration { Output = help, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
            await stdout.WriteAsync(UnusedGlobalOptions.LeaveOutOfHelp(parse.CommandResult.Command, help.ToString())).ConfigureAwait(false);
            return shown;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
    }

    public static RootCommand Build(TextWriter stdout, TextWriter stderr, bool isTerminal) => Build(new CliEnvironment(stdout, stderr, isTerminal));

    public static RootCommand Build(CliEnvironment env) => Build(env, null);

    /// <summary>
    /// The command tree for a run of <paramref name="args"/>: the root, its options and only the commands the run needs
    /// (<see cref="CommandCatalog.For"/>); every command when <paramref name="args"/> is null.
    /// </summary>
    public static RootCommand Build(CliEnvironment env, string[]? args)
    {
        var root = new RootCommand("""
            Glidepath takes a change to an AI system (prompt, model, tools, agent config) from a passing eval
            to live traffic, with a way back at every step.

            Exit codes: 0 ok, 1 negative verdict, 2 bad input, 3 operational error, 4 refused by policy,
            130 stopped by Ctrl-C or SIGTERM (what finished is saved; a run can be resumed); the long-running
            serve and controller stop on SIGTERM with 0, as a service manager expects.
            Errors are one line; set GLIDEPATH_DEBUG=1 to also print the stack trace of an unexpected one.
            """);
        root.Add(GlobalOptions.Manifest);
        root.Add(GlobalOptions.Store);
        root.Add(GlobalOptions.Server);
        root.Add(GlobalOptions.Token);
        root.Add(GlobalOptions.Format);
        foreach (var command in args is null ? CommandCatalog.All(env) : CommandCatalog.For(env, args))
        {
            root.Add(command);
        }

        return root;
    }

    /// <summary>
    /// <c>glidepath</c> alone and <c>glidepath help [COMMAND…] [ARGS/OPTIONS…]</c> ask for help, as with git: they show
    /// the help of the deepest command named (exit 0) instead of "Required command was not provided", and never run it:
    /// <c>help rollback --env production</c> shows rollback's help and rolls nothing back. A first word that is no
    /// command is left to the parser, which names it with a suggestion and exits 2 (a parse with errors never runs).
    /// </summary>
    internal static string[] HelpRequest(string[] args, Command root)
    {
        if (args.Length == 0)
        {
            return ["--help"];
        }

        // "help" may follow the global options (glidepath --store x.db help release), as a command's name may.
        var at = CommandCatalog.FirstWordIndex(args);
        if (at < 0 || args[at] != "help")
        {
            return args;
        }

        string[] rest = [.. args[..at], .. args[(at + 1)..]];
        var parse = root.Parse(rest);
        var path = new List<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, r.Command.Name);
        }

        return path.Count == 0 && parse.UnmatchedTokens.Count > 0 ? rest : [.. path, "--help"];
    }

    private static bool IsJson(string[] args) =>
        args.Select((a, i) => a == "--format" && i + 1 < args.Length && args[i + 1] == "json" || a == "--format=json").Any(x => x);

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command is RootCommand ? "glidepath" : r.Command.Name);
        }

        return names;
    }
}
