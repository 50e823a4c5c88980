namespace Glidepath.Checklist;

/// <summary>The result of one checklist row.</summary>
public static class ChecklistStatus
{
    public const string Pass = "pass";
    public const string Fail = "fail";

    /// <summary>
    /// Not decided yet, and not a pass: what the row waits on is under way (a controller is judging the rollout's first
    /// step). It holds the checklist back as a failure does (exit 1); its action says what to wait for. Until 2026-12-07 it
    /// read "✗ FAIL" (newcomer trial L10).
    /// </summary>
    public const string Pending = "pending";

    /// <summary>The row does not apply (e.g. the environment has no earlier environment, or no baseline yet).</summary>
    public const string Skip = "skip";
}
