namespace Glidepath.Errors;

/// <summary>Process exit codes shared by every command (DESIGN.md, "Exit codes").</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Negative = 1;
    public const int BadInput = 2;
    public const int Operational = 3;
    public const int Refused = 4;
}
