using Glidepath.Errors;

namespace Glidepath.Cli;

/// <summary>Process exit codes shared by every command (DESIGN.md, "Exit codes"): the CLI's mapping of outcomes and failures.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Negative = 1;
    public const int BadInput = 2;
    public const int Operational = 3;
    public const int Refused = 4;

    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it): what finished is saved, and a run can be resumed.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code of a failure of this kind.</summary>
    public static int Of(FailureKind kind) => kind switch
    {
        FailureKind.BadInput => BadInput,
        FailureKind.Refused => Refused,
        _ => Operational,
    };
}
