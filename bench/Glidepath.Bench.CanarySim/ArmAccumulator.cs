using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// One arm's sums per subject group, as the trace store would return them, updated one request at a time.
/// <see cref="Sample"/> hands the judge a view over the live arrays without copying (the judge only reads).
/// </summary>
internal sealed class ArmAccumulator
{
    private readonly bool tellOneArm;
    private readonly ArmSample[] groups = new ArmSample[SubjectGroups.Count];
    private readonly long[] histogram = new long[LatencyBuckets.UpperBoundsMs.Count];
    private ArmSample total;

    /// <param name="tellOneArm">False: one-arm errors are errors like any other (the judge before it told them apart).</param>
    public ArmAccumulator(bool tellOneArm = true)
    {
        this.tellOneArm = tellOneArm;
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = new ArmSample { LatencyHistogram = new long[LatencyBuckets.UpperBoundsMs.Count] };
        }
    }

    public long Requests => total.Requests;

    /// <param name="group">The subject group, or −1 to keep no groups (the judge then treats requests as units).</param>
    public void Add(int group, in Request r)
    {
        var request = tellOneArm ? r : r with { OneArm = false };
        total = Step(total, request);
        histogram[LatencyBuckets.IndexOf(r.LatencyMs)] += r.Error ? 0 : 1;
        if (group >= 0)
        {
            groups[group] = Step(groups[group], request);
            groups[group].LatencyHistogram![LatencyBuckets.IndexOf(r.LatencyMs)] += r.Error ? 0 : 1;
        }
    }

    public ArmSample Sample(bool withGroups) => total with { LatencyHistogram = histogram, Groups = withGroups ? groups : null };

    /// <summary>One request added to an arm's sums (latency and cost over answered requests only, as the trace store keeps them).</summary>
    public static ArmSample Step(in ArmSample a, in Request r)
    {
        var log = Math.Log(r.LatencyMs);
        return a with
        {
            Requests = a.Requests + 1,
            Errors = a.Errors + (r.Error ? 1 : 0),
            OneArmErrors = a.OneArmErrors + (r.OneArm ? 1 : 0),
            LatencyCount = a.LatencyCount + (r.Error ? 0 : 1),
            LogLatencySum = a.LogLatencySum + (r.Error ? 0 : log),
            LogLatencySquares = a.LogLatencySquares + (r.Error ? 0 : log * log),
            CostSum = a.CostSum + (r.Error ? 0 : r.Cost),
            CostSquares = a.CostSquares + (r.Error ? 0 : r.Cost * r.Cost),
            OnlineScored = a.OnlineScored + 1,
            OnlinePassed = a.OnlinePassed + (r.Passed ? 1 : 0),
            OnlineScoreSum = a.OnlineScoreSum + (r.Passed ? 1 : 0),
            OnlineScoreSquares = a.OnlineScoreSquares + (r.Passed ? 1 : 0),
        };
    }
}
