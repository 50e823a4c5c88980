using System.CommandLine;
using Glidepath.Cli.Commands;

namespace Glidepath.Cli;

/// <summary>Every top-level command. Each feature adds its command here.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All(CliEnvironment env) =>
    [
        InitCommand.Build(env),
        ReleaseCommand.Build(env),
    ];
}
