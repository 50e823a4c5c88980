namespace Glidepath.Evals.Runs;

/// <summary>A snapshot of a run's progress, for progress bars: finished of total, by outcome, and time so far.</summary>
public readonly record struct RunProgress(int Completed, int Total, int Passed, int Failed, int Errors, TimeSpan Elapsed)
{
    /// <summary>Remaining time at the pace so far, or null before the first result.</summary>
    public TimeSpan? Eta(int completedThisSession) => completedThisSession <= 0 || Completed >= Total
        ? null
        : TimeSpan.FromTicks(Elapsed.Ticks / completedThisSession * (Total - Completed));
}
