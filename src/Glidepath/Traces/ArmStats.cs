namespace Glidepath.Traces;

/// <summary>
/// Sums over one (environment, release, arm) in a time range: enough for the canary judge to form means,
/// variances and proportions per arm without reading single traces.
/// </summary>
public sealed record ArmStats
{
    public required string ReleaseId { get; init; }
    public required string Arm { get; init; }
    public long Count { get; init; }
    public long Errors { get; init; }

    /// <summary>The errors of a class a caller's request alone can cause on one arm (<see cref="TraceRecord.OneArmErrors"/>).</summary>
    public long OneArmErrors { get; init; }

    /// <summary>Requests whose provider call was counted, and those that needed a retry (<see cref="TraceAggregateDelta.ProviderCalls"/>).</summary>
    public long ProviderCalls { get; init; }
    public long RetriedCalls { get; init; }

    /// <summary>Requests the caller closed before the answer ended (<see cref="TraceAggregateDelta.Cancelled"/>): in <see cref="Count"/>, in no latency or cost sum.</summary>
    public long Cancelled { get; init; }

    /// <summary>Requests answered without error (and not cancelled by the caller): latency and cost sums and the histogram are over these.</summary>
    public long LatencyCount { get; init; }
    public double LatencyMsSum { get; init; }

    /// <summary>Sum and sum of squares of ln(latency ms): latency is judged as a ratio, i.e. on the log scale.</summary>
    public double LogLatencySum { get; init; }
    public double LogLatencySquares { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    /// <summary>Sum and sum of squares of the cost (USD) of answered requests (<see cref="LatencyCount"/>).</summary>
    public double CostSum { get; init; }
    public double CostSquares { get; init; }

    /// <summary>Latency histogram: counts per upper bound in <see cref="LatencyBuckets.UpperBoundsMs"/> (last = +inf).</summary>
    public IReadOnlyList<long> LatencyHistogram { get; init; } = [];

    /// <summary>Requests scored online, how many passed every online scorer, and sums of their mean score.</summary>
    public long OnlineScored { get; init; }
    public long OnlinePassed { get; init; }
    public double OnlineScoreSum { get; init; }
    public double OnlineScoreSquares { get; init; }

    /// <summary>Answered streams with a first token, and sums of ln(time to first token ms) over them (<see cref="TraceAggregateDelta.FirstTokenCount"/>).</summary>
    public long FirstTokenCount { get; init; }
    public double LogFirstTokenSum { get; init; }
    public double LogFirstTokenSquares { get; init; }

    public long FeedbackCount { get; init; }
    public double FeedbackSum { get; init; }

    /// <summary>Feedback that counts as positive (<see cref="FeedbackScore.IsPositive"/>): a proportion the judge can compare.</summary>
    public long FeedbackPositive { get; init; }

    /// <summary>
    /// The same sums per subject group (<see cref="SubjectGroups"/>), indexed by group, each with no groups of its
    /// own; empty when the source keeps no groups. The judge's variance is computed over these units.
    /// </summary>
    public IReadOnlyList<ArmStats> Groups { get; init; } = [];
}
