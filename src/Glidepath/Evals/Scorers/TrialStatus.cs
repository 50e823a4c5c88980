namespace Glidepath.Evals.Scorers;

/// <summary>How one case × trial ended. An error (provider, scorer, judge) is never counted as a pass.</summary>
public enum TrialStatus
{
    Pass,
    Fail,
    Error,
}
