using Glidepath.Errors;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli;

/// <summary>The exit code of each use case's outcome (DESIGN.md, "Exit codes"): the domain says what happened, the CLI says how a process reports it.</summary>
internal static class OutcomeExitCodes
{
    /// <summary>pass 0, blocked 1, error 3 (fail-closed).</summary>
    public static int For(GateResult result) => result switch
    {
        GateResult.Pass => ExitCodes.Ok,
        GateResult.Blocked => ExitCodes.Negative,
        _ => ExitCodes.Operational,
    };

    /// <summary>0 when every trial was scored, 3 when any errored.</summary>
    public static int For(EvalOutcome outcome) => outcome.AllScored ? ExitCodes.Ok : ExitCodes.Operational;
}
