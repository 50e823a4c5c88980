using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Monitoring;

/// <summary>Folds trace aggregates into one sample per release, whichever arm served the requests.</summary>
public static class ArmSamples
{
    public static ArmSample Add(in ArmSample a, in ArmSample b) => new()
    {
        Requests = a.Requests + b.Requests,
        Errors = a.Errors + b.Errors,
        LogLatencySum = a.LogLatencySum + b.LogLatencySum,
        LogLatencySquares = a.LogLatencySquares + b.LogLatencySquares,
        CostSum = a.CostSum + b.CostSum,
        CostSquares = a.CostSquares + b.CostSquares,
        OnlineScored = a.OnlineScored + b.OnlineScored,
        OnlinePassed = a.OnlinePassed + b.OnlinePassed,
        OnlineScoreSum = a.OnlineScoreSum + b.OnlineScoreSum,
        OnlineScoreSquares = a.OnlineScoreSquares + b.OnlineScoreSquares,
        FeedbackCount = a.FeedbackCount + b.FeedbackCount,
        FeedbackPositive = a.FeedbackPositive + b.FeedbackPositive,
    };

    /// <summary>The sum over every arm of <paramref name="releaseId"/>.</summary>
    public static ArmSample ForRelease(IEnumerable<ArmStats> stats, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var sum = default(ArmSample);
        foreach (var s in stats)
        {
            if (s.ReleaseId == releaseId)
            {
                sum = Add(sum, ArmSample.From(s));
            }
        }

        return sum;
    }
}
