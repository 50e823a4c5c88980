namespace Glidepath.Evals.Gate;

/// <summary>The gate's verdict: the baseline is held or beaten (pass), or not (blocked); error is fail-closed.</summary>
public enum GateResult
{
    Pass,
    Blocked,
    Error,
}
