namespace Glidepath.Evals.Runs;

/// <summary>A snapshot of a run's progress, for progress bars: finished of total, by outcome, and time so far.</summary>
public readonly record struct RunProgress(int Completed, int Total, int Passed, int Failed, int Errors, TimeSpan Elapsed)
{
    /// <summary>
    /// Remaining time at the pace so far; null until enough results give a pace: 5% of what this session runs (at
    /// most 50 results). Calls run concurrently, so the first result alone says nothing about the pace (one result
    /// after 2 s of a 2,000-case run at concurrency 64 would otherwise read as "ETA 1:06:00").
    /// </summary>
    public TimeSpan? Eta(int completedThisSession)
    {
        var session = Total - Completed + completedThisSession;
        var needed = Math.Clamp(session / 20, 1, 50);
        return completedThisSession < needed || Completed >= Total
            ? null
            : TimeSpan.FromTicks(Elapsed.Ticks / completedThisSession * (Total - Completed));
    }
}
