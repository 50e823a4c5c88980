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
        DeployCommand.Build(env),
        PromoteCommand.Build(env),
        RollbackCommand.Build(env),
        HistoryCommand.Build(env),
        StatusCommand.Build(env),
        FreezeCommand.Build(env),
        UnfreezeCommand.Build(env),
        EnvCommand.Build(env),
        EvalCommand.Build(env),
        GateCommand.Build(env),
        RolloutCommand.Build(env),
        ShadowCommand.Build(env),
        ModelCommand.Build(env),
        EvalsetCommand.Build(env),
        ServeCommand.Build(env),
        DashboardCommand.Build(env),
        ControllerCommand.Build(env),
        DrillCommand.Build(env),
        MonitorCommand.Build(env),
        TracesCommand.Build(env),
        KeysCommand.Build(env),
        TokensCommand.Build(env),
        StoreCommand.Build(env),
        ChecklistCommand.Build(env),
        DemoCommand.Build(env),
    ];
}
