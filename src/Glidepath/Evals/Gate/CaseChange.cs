namespace Glidepath.Evals.Gate;

/// <summary>How a case moved from baseline to candidate.</summary>
public enum CaseChange
{
    Same,
    Regressed,
    Improved,
    Error,
}
