namespace Glidepath.Checklist;

/// <summary>The result of one checklist row.</summary>
public static class ChecklistStatus
{
    public const string Pass = "pass";
    public const string Fail = "fail";

    /// <summary>The row does not apply (e.g. the environment has no earlier environment, or no baseline yet).</summary>
    public const string Skip = "skip";
}
