namespace Glidepath.Evals.Gate;

/// <summary>A trial that could not be scored (provider, scorer or judge failure): it makes the verdict an error.</summary>
public sealed record GateError(string Side, string CaseId, int Trial, string Message)
{
    /// <summary>A resume is expected to fix it: the provider could not be reached, timed out, was rate limited or answered 5xx (<see cref="Runs.TrialResult.TransientError"/>).</summary>
    public bool Transient { get; init; }
}
