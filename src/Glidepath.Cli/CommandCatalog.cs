using System.CommandLine;
using Glidepath.Cli.Commands;

namespace Glidepath.Cli;

/// <summary>Every top-level command, by name. Each feature adds its command here.</summary>
internal static class CommandCatalog
{
    /// <summary>Each top-level command's name and how to build it (a test checks each builds the command of its name).</summary>
    public static readonly IReadOnlyList<(string Name, Func<CliEnvironment, Command> Build)> Entries =
    [
        ("init", InitCommand.Build),
        ("release", ReleaseCommand.Build),
        ("deploy", DeployCommand.Build),
        ("promote", PromoteCommand.Build),
        ("rollback", RollbackCommand.Build),
        ("history", HistoryCommand.Build),
        ("status", StatusCommand.Build),
        ("freeze", FreezeCommand.Build),
        ("unfreeze", UnfreezeCommand.Build),
        ("env", EnvCommand.Build),
        ("eval", EvalCommand.Build),
        ("gate", GateCommand.Build),
        ("rollout", RolloutCommand.Build),
        ("shadow", ShadowCommand.Build),
        ("model", ModelCommand.Build),
        ("evalset", EvalsetCommand.Build),
        ("serve", ServeCommand.Build),
        ("dashboard", DashboardCommand.Build),
        ("controller", ControllerCommand.Build),
        ("drill", DrillCommand.Build),
        ("monitor", MonitorCommand.Build),
        ("traces", TracesCommand.Build),
        ("keys", KeysCommand.Build),
        ("tokens", TokensCommand.Build),
        ("store", StoreCommand.Build),
        ("checklist", ChecklistCommand.Build),
        ("demo", DemoCommand.Build),
    ];

    public static IEnumerable<Command> All(CliEnvironment env) => Entries.Select(e => e.Build(env));

    /// <summary>
    /// The commands a run of <paramref name="args"/> needs: only the one it names when its first word is a command
    /// (building all 27 trees costs a cold process 100–160 ms of JIT compilation, most of a short command's start-up),
    /// every command otherwise — no word, <c>help</c>, a mistyped command (the parser's suggestion needs them all), an
    /// option before any word other than the global options, or a response file.
    /// </summary>
    public static IEnumerable<Command> For(CliEnvironment env, IReadOnlyList<string> args)
    {
        var name = FirstWord(args);
        foreach (var (entry, build) in Entries)
        {
            if (entry == name)
            {
                return [build(env)];
            }
        }

        return All(env);
    }

    /// <summary>The first word of <paramref name="args"/> after the global options and their values; null when there is none or the arguments are anything else.</summary>
    internal static string? FirstWord(IReadOnlyList<string> args)
    {
        var at = FirstWordIndex(args);
        return at < 0 || args[at].StartsWith('@') || args[at].StartsWith('[') ? null : args[at];
    }

    /// <summary>The global options, each taking a value (<see cref="GlobalOptions"/>): the words a run's first command may follow.</summary>
    private static readonly string[] GlobalNames = [GlobalOptions.Manifest.Name, GlobalOptions.Store.Name, GlobalOptions.Server.Name, GlobalOptions.Token.Name, GlobalOptions.Format.Name];

    /// <summary>Where the first word of <paramref name="args"/> is, after the global options and their values; −1 when an argument before it is anything else, or there is none.</summary>
    internal static int FirstWordIndex(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                return i;
            }

            var name = arg.Split('=', 2)[0];
            if (!GlobalNames.Contains(name))
            {
                return -1;
            }

            i += name.Length == arg.Length ? 1 : 0; // "--store x.db" takes the next word; "--store=x.db" does not
        }

        return -1;
    }
}
