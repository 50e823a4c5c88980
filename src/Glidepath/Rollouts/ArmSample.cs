using Glidepath.Traces;

namespace Glidepath.Rollouts;

/// <summary>
/// Sufficient statistics of one arm over one rollout step: counts and sums from which the judge forms
/// proportions, means and variances without reading single requests.
/// </summary>
public readonly record struct ArmSample
{
    public long Requests { get; init; }
    public long Errors { get; init; }

    /// <summary>Sum and sum of squares of ln(latency ms) over all requests: latency is judged as a ratio.</summary>
    public double LogLatencySum { get; init; }
    public double LogLatencySquares { get; init; }

    public double CostSum { get; init; }
    public double CostSquares { get; init; }

    /// <summary>Requests scored by the online scorers, how many passed all of them, and the sums of their mean score.</summary>
    public long OnlineScored { get; init; }
    public long OnlinePassed { get; init; }
    public double OnlineScoreSum { get; init; }
    public double OnlineScoreSquares { get; init; }

    public long FeedbackCount { get; init; }

    /// <summary>Feedback that counts as positive (score ≥ 0.5).</summary>
    public long FeedbackPositive { get; init; }

    /// <summary>The judge's view of a trace aggregate.</summary>
    public static ArmSample From(ArmStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new ArmSample
        {
            Requests = stats.Count,
            Errors = stats.Errors,
            LogLatencySum = stats.LogLatencySum,
            LogLatencySquares = stats.LogLatencySquares,
            CostSum = stats.CostSum,
            CostSquares = stats.CostSquares,
            OnlineScored = stats.OnlineScored,
            OnlinePassed = stats.OnlinePassed,
            OnlineScoreSum = stats.OnlineScoreSum,
            OnlineScoreSquares = stats.OnlineScoreSquares,
            FeedbackCount = stats.FeedbackCount,
            FeedbackPositive = stats.FeedbackPositive,
        };
    }

    /// <summary>What was added since <paramref name="earlier"/>: a step's own data from two cumulative readings.</summary>
    public ArmSample Minus(ArmSample earlier) => new()
    {
        Requests = Requests - earlier.Requests,
        Errors = Errors - earlier.Errors,
        LogLatencySum = LogLatencySum - earlier.LogLatencySum,
        LogLatencySquares = LogLatencySquares - earlier.LogLatencySquares,
        CostSum = CostSum - earlier.CostSum,
        CostSquares = CostSquares - earlier.CostSquares,
        OnlineScored = OnlineScored - earlier.OnlineScored,
        OnlinePassed = OnlinePassed - earlier.OnlinePassed,
        OnlineScoreSum = OnlineScoreSum - earlier.OnlineScoreSum,
        OnlineScoreSquares = OnlineScoreSquares - earlier.OnlineScoreSquares,
        FeedbackCount = FeedbackCount - earlier.FeedbackCount,
        FeedbackPositive = FeedbackPositive - earlier.FeedbackPositive,
    };
}
