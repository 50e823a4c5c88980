using System.Text.Json.Serialization;
using Glidepath.Traces;

namespace Glidepath.Rollouts;

/// <summary>
/// Sufficient statistics of one arm over one rollout step: counts and sums from which the judge forms
/// proportions, means and variances without reading single requests, and the same sums per subject group
/// (<see cref="SubjectGroups"/>), the units the judge's variance is computed over.
/// </summary>
public readonly partial record struct ArmSample
{
    public long Requests { get; init; }
    public long Errors { get; init; }

    /// <summary>
    /// The errors among <see cref="Errors"/> a caller's request alone can cause on one arm (<see cref="TraceRecord.OneArmErrors"/>):
    /// the judge does not credit a canary with fewer of them than stable beyond chance (<c>error_rate</c>).
    /// </summary>
    public long OneArmErrors { get; init; }

    /// <summary>Requests whose provider call was counted, and those among them that needed more than one attempt (<c>retry_rate</c>).</summary>
    public long ProviderCalls { get; init; }
    public long RetriedCalls { get; init; }

    /// <summary>
    /// Requests the caller closed before the answer ended (<see cref="TraceRecord.IsCancelled"/>): among
    /// <see cref="Requests"/>, neither errors nor answered (<c>cancel_rate</c>).
    /// </summary>
    public long Cancelled { get; init; }

    /// <summary>Requests answered without error (not cancelled by the caller): the latency and cost sums and the histogram cover these only.</summary>
    public long LatencyCount { get; init; }

    /// <summary>Sum and sum of squares of ln(latency ms) over answered requests: latency is judged as a ratio.</summary>
    public double LogLatencySum { get; init; }
    public double LogLatencySquares { get; init; }

    /// <summary>Sum and sum of squares of the cost of answered requests: cost per call is judged per answered call.</summary>
    public double CostSum { get; init; }
    public double CostSquares { get; init; }

    /// <summary>Requests scored by the online scorers, how many passed all of them, and the sums of their mean score.</summary>
    public long OnlineScored { get; init; }
    public long OnlinePassed { get; init; }
    public double OnlineScoreSum { get; init; }
    public double OnlineScoreSquares { get; init; }

    /// <summary>
    /// Answered streams that produced a first token, and the sum and sum of squares of ln(time to first token ms) over
    /// them: <c>first_token_latency</c> is judged as a ratio of their geometric means.
    /// </summary>
    public long FirstTokenCount { get; init; }
    public double LogFirstTokenSum { get; init; }
    public double LogFirstTokenSquares { get; init; }

    public long FeedbackCount { get; init; }

    /// <summary>Feedback that counts as positive (<see cref="Traces.FeedbackScore.IsPositive"/>).</summary>
    public long FeedbackPositive { get; init; }

    /// <summary>Answered requests per <see cref="LatencyBuckets"/> bucket; null or empty when not kept.</summary>
    public long[]? LatencyHistogram { get; init; }

    /// <summary>
    /// The same sums per subject group, indexed by group (each without groups of its own); null when the source
    /// keeps none, and then the judge treats every request as its own unit.
    /// </summary>
    public ArmSample[]? Groups { get; init; }

    /// <summary>Groups that saw at least one request: a lower bound on the distinct subjects (0 without groups).</summary>
    [JsonIgnore]
    public int SubjectsAtLeast
    {
        get
        {
            if (Groups is null)
            {
                return 0;
            }

            var n = 0;
            foreach (var g in Groups)
            {
                n += g.Requests > 0 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>
    /// Kish's effective number of subject groups, (Σ n_g)² / Σ n_g² over the groups' requests: as many groups as
    /// would carry the same information with equal traffic. One very active subject pulls it down, so a verdict
    /// waits until evidence no longer rests on a few subjects (0 without groups).
    /// </summary>
    [JsonIgnore]
    public double EffectiveSubjects
    {
        get
        {
            if (Groups is null)
            {
                return 0;
            }

            double sum = 0, squares = 0;
            foreach (var g in Groups)
            {
                sum += g.Requests;
                squares += (double)g.Requests * g.Requests;
            }

            return squares > 0 ? sum * sum / squares : 0;
        }
    }

    /// <summary>The judge's view of a trace aggregate.</summary>
    public static ArmSample From(ArmStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var sample = Single(stats);
        if (stats.Groups.Count == 0)
        {
            return sample;
        }

        var groups = new ArmSample[stats.Groups.Count];
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = Single(stats.Groups[g]);
        }

        return sample with { Groups = groups };
    }

    /// <summary>What was added since <paramref name="earlier"/>: a step's own data from two cumulative readings.</summary>
    public ArmSample Minus(ArmSample earlier) => Combine(this, earlier, -1);

    /// <summary>The sum of two samples (per group too): e.g. one release's requests on both arms.</summary>
    public static ArmSample Add(in ArmSample a, in ArmSample b) => Combine(a, b, +1);

    private static ArmSample Combine(in ArmSample a, in ArmSample b, int sign)
    {
        var sum = Totals(a, b, sign);
        if (a.Groups is null && b.Groups is null)
        {
            return sum;
        }

        // A side without groups (e.g. a step baseline stored before groups existed) contributes no per-group sums.
        var length = Math.Max(a.Groups?.Length ?? 0, b.Groups?.Length ?? 0);
        var groups = new ArmSample[length];
        for (var g = 0; g < length; g++)
        {
            var ag = a.Groups is { } x && g < x.Length ? x[g] : default;
            var bg = b.Groups is { } y && g < y.Length ? y[g] : default;
            groups[g] = Totals(ag, bg, b.Groups is null ? 0 : sign);
        }

        return sum with { Groups = groups };
    }

    private static ArmSample Totals(in ArmSample a, in ArmSample b, int sign) => new()
    {
        Requests = a.Requests + (sign * b.Requests),
        Errors = a.Errors + (sign * b.Errors),
        OneArmErrors = a.OneArmErrors + (sign * b.OneArmErrors),
        ProviderCalls = a.ProviderCalls + (sign * b.ProviderCalls),
        RetriedCalls = a.RetriedCalls + (sign * b.RetriedCalls),
        Cancelled = a.Cancelled + (sign * b.Cancelled),
        LatencyCount = a.LatencyCount + (sign * b.LatencyCount),
        LogLatencySum = a.LogLatencySum + (sign * b.LogLatencySum),
        LogLatencySquares = a.LogLatencySquares + (sign * b.LogLatencySquares),
        CostSum = a.CostSum + (sign * b.CostSum),
        CostSquares = a.CostSquares + (sign * b.CostSquares),
        OnlineScored = a.OnlineScored + (sign * b.OnlineScored),
        OnlinePassed = a.OnlinePassed + (sign * b.OnlinePassed),
        OnlineScoreSum = a.OnlineScoreSum + (sign * b.OnlineScoreSum),
        OnlineScoreSquares = a.OnlineScoreSquares + (sign * b.OnlineScoreSquares),
        FirstTokenCount = a.FirstTokenCount + (sign * b.FirstTokenCount),
        LogFirstTokenSum = a.LogFirstTokenSum + (sign * b.LogFirstTokenSum),
        LogFirstTokenSquares = a.LogFirstTokenSquares + (sign * b.LogFirstTokenSquares),
        FeedbackCount = a.FeedbackCount + (sign * b.FeedbackCount),
        FeedbackPositive = a.FeedbackPositive + (sign * b.FeedbackPositive),
        LatencyHistogram = Histogram(a.LatencyHistogram, b.LatencyHistogram, sign),
    };

    private static long[]? Histogram(long[]? a, long[]? b, int sign)
    {
        if ((a is null || a.Length == 0) && (b is null || b.Length == 0))
        {
            return null;
        }

        var result = new long[Math.Max(a?.Length ?? 0, b?.Length ?? 0)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = (a is not null && i < a.Length ? a[i] : 0) + (sign * (b is not null && i < b.Length ? b[i] : 0));
        }

        return result;
    }

    private static ArmSample Single(ArmStats stats) => new()
    {
        Requests = stats.Count,
        Errors = stats.Errors,
        OneArmErrors = stats.OneArmErrors,
        ProviderCalls = stats.ProviderCalls,
        RetriedCalls = stats.RetriedCalls,
        Cancelled = stats.Cancelled,
        LatencyCount = stats.LatencyCount,
        LogLatencySum = stats.LogLatencySum,
        LogLatencySquares = stats.LogLatencySquares,
        CostSum = stats.CostSum,
        CostSquares = stats.CostSquares,
        OnlineScored = stats.OnlineScored,
        OnlinePassed = stats.OnlinePassed,
        OnlineScoreSum = stats.OnlineScoreSum,
        OnlineScoreSquares = stats.OnlineScoreSquares,
        FirstTokenCount = stats.FirstTokenCount,
        LogFirstTokenSum = stats.LogFirstTokenSum,
        LogFirstTokenSquares = stats.LogFirstTokenSquares,
        FeedbackCount = stats.FeedbackCount,
        FeedbackPositive = stats.FeedbackPositive,
        LatencyHistogram = stats.LatencyHistogram.Count == 0 ? null : [.. stats.LatencyHistogram],
    };
}
