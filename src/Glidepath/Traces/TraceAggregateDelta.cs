namespace Glidepath.Traces;

/// <summary>
/// What a batch adds to one aggregate row: (app, environment, release, arm, minute, subject group). Built by
/// <see cref="TraceAggregator"/> from trace records so that one batch becomes one upsert per row; a store keeps
/// each row as the <see cref="Add"/> of every delta written to it.
/// </summary>
public sealed class TraceAggregateDelta
{
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required string ReleaseId { get; init; }
    public required string Arm { get; init; }

    /// <summary>Start of the minute the requests began in (UTC).</summary>
    public required DateTimeOffset Minute { get; init; }

    /// <summary>The subject group (<see cref="SubjectGroups"/>) of the requests.</summary>
    public required int Group { get; init; }

    public long Count { get; set; }
    public long Errors { get; set; }

    /// <summary>
    /// The errors among <see cref="Errors"/> of a class a caller's request alone can cause on one arm
    /// (<see cref="TraceRecord.OneArmErrors"/>: refusals of the request, timeouts); 0 on rows stored before migration 0030.
    /// </summary>
    public long OneArmErrors { get; set; }

    /// <summary>
    /// Requests whose provider call was counted (<see cref="TraceRecord.Attempts"/> ≥ 1) and did not end in an error of
    /// <see cref="TraceRecord.OneArmErrors"/> (from 2026-12-07), and those among them that needed more than one attempt:
    /// <c>retry_rate</c> is their ratio, so requests that never reached the provider (and rows stored before migration
    /// 0028) are in neither.
    /// </summary>
    public long ProviderCalls { get; set; }
    public long RetriedCalls { get; set; }

    /// <summary>
    /// Requests the caller closed before the answer ended (<see cref="TraceRecord.IsCancelled"/>, 499 <c>client_closed</c>):
    /// counted in <see cref="Count"/>, neither an error nor answered, so in no latency or cost sum; <c>cancel_rate</c> is
    /// their share of the requests. 0 on rows stored before migration 0031.
    /// </summary>
    public long Cancelled { get; set; }

    /// <summary>Requests answered without error: the latency and cost sums and the histogram are over these only.</summary>
    public long LatencyCount { get; set; }
    public double LatencyMsSum { get; set; }
    public double LogLatencySum { get; set; }
    public double LogLatencySquares { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    /// <summary>Sum and sum of squares of the cost (USD) of answered requests (<see cref="LatencyCount"/>).</summary>
    public double CostSum { get; set; }
    public double CostSquares { get; set; }
    public long OnlineScored { get; set; }
    public long OnlinePassed { get; set; }
    public double OnlineScoreSum { get; set; }
    public double OnlineScoreSquares { get; set; }
    public long[] LatencyHistogram { get; } = new long[LatencyBuckets.UpperBoundsMs.Count];

    /// <summary>
    /// Streamed requests answered without error that produced a first token, and the sum and sum of squares of
    /// ln(time to first token ms) over them: <c>first_token_latency</c> is judged on these. A stream the caller closed
    /// after its first token is among them (that token was delivered). Whole (not streamed) answers and streams that
    /// failed are in none of them; 0 on rows stored before migration 0029.
    /// </summary>
    public long FirstTokenCount { get; set; }
    public double LogFirstTokenSum { get; set; }
    public double LogFirstTokenSquares { get; set; }

    /// <summary>
    /// Adds <paramref name="other"/>'s sums and histogram to this row's: how a store merges a batch into the row it
    /// already has for the same minute, and how rows are summed into an arm. The key is the caller's to match.
    /// </summary>
    public void Add(TraceAggregateDelta other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        Errors += other.Errors;
        OneArmErrors += other.OneArmErrors;
        ProviderCalls += other.ProviderCalls;
        RetriedCalls += other.RetriedCalls;
        Cancelled += other.Cancelled;
        LatencyCount += other.LatencyCount;
        LatencyMsSum += other.LatencyMsSum;
        LogLatencySum += other.LogLatencySum;
        LogLatencySquares += other.LogLatencySquares;
        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        CostSum += other.CostSum;
        CostSquares += other.CostSquares;
        OnlineScored += other.OnlineScored;
        OnlinePassed += other.OnlinePassed;
        OnlineScoreSum += other.OnlineScoreSum;
        OnlineScoreSquares += other.OnlineScoreSquares;
        FirstTokenCount += other.FirstTokenCount;
        LogFirstTokenSum += other.LogFirstTokenSum;
        LogFirstTokenSquares += other.LogFirstTokenSquares;
        for (var i = 0; i < LatencyHistogram.Length; i++)
        {
            LatencyHistogram[i] += other.LatencyHistogram[i];
        }
    }

    /// <summary>An empty row with this row's key: where a store starts a minute it has not seen.</summary>
    public TraceAggregateDelta EmptyCopy() => new() { App = App, Environment = Environment, ReleaseId = ReleaseId, Arm = Arm, Minute = Minute, Group = Group };
}
