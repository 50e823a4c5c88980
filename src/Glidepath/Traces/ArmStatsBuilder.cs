namespace Glidepath.Traces;

/// <summary>
/// Sums aggregate rows (per minute and subject group) and feedback counts into one <see cref="ArmStats"/> per
/// (release, arm), with its per-group sums: the part of reading arm statistics every store shares.
/// </summary>
public sealed class ArmStatsBuilder
{
    private readonly Dictionary<(string Release, string Arm), Sums[]> _arms = [];

    /// <summary>Adds one stored aggregate row (any minute) to its arm and group.</summary>
    public void Add(TraceAggregateDelta row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var s = Slot(row.ReleaseId, row.Arm, row.Group);
        s.Count += row.Count;
        s.Errors += row.Errors;
        s.LatencyCount += row.LatencyCount;
        s.LatencyMsSum += row.LatencyMsSum;
        s.LogLatencySum += row.LogLatencySum;
        s.LogLatencySquares += row.LogLatencySquares;
        s.InputTokens += row.InputTokens;
        s.OutputTokens += row.OutputTokens;
        s.CostSum += row.CostSum;
        s.CostSquares += row.CostSquares;
        s.OnlineScored += row.OnlineScored;
        s.OnlinePassed += row.OnlinePassed;
        s.OnlineScoreSum += row.OnlineScoreSum;
        s.OnlineScoreSquares += row.OnlineScoreSquares;
        for (var i = 0; i < s.Histogram.Length; i++)
        {
            s.Histogram[i] += row.LatencyHistogram[i];
        }
    }

    /// <summary>Adds feedback on traces of one arm and group: how many, the sum of scores, how many were positive.</summary>
    public void AddFeedback(string releaseId, string arm, int group, long count, double sum, long positive)
    {
        var s = Slot(releaseId, arm, group);
        s.FeedbackCount += count;
        s.FeedbackSum += sum;
        s.FeedbackPositive += positive;
    }

    /// <summary>One <see cref="ArmStats"/> per (release, arm), ordered by release then arm, each with its groups.</summary>
    public IReadOnlyList<ArmStats> Build()
    {
        var list = new List<ArmStats>(_arms.Count);
        foreach (var ((release, arm), groups) in _arms.OrderBy(a => a.Key.Release, StringComparer.Ordinal).ThenBy(a => a.Key.Arm, StringComparer.Ordinal))
        {
            var total = new Sums();
            var perGroup = new ArmStats[groups.Length];
            for (var g = 0; g < groups.Length; g++)
            {
                total.Add(groups[g]);
                perGroup[g] = groups[g].ToStats(release, arm, []);
            }

            list.Add(total.ToStats(release, arm, perGroup));
        }

        return list;
    }

    private Sums Slot(string releaseId, string arm, int group)
    {
        if (!_arms.TryGetValue((releaseId, arm), out var groups))
        {
            groups = new Sums[SubjectGroups.Count];
            for (var i = 0; i < groups.Length; i++)
            {
                groups[i] = new Sums();
            }

            _arms[(releaseId, arm)] = groups;
        }

        return groups[Math.Clamp(group, 0, SubjectGroups.Count - 1)];
    }

    private sealed class Sums
    {
        public long Count, Errors, LatencyCount, InputTokens, OutputTokens, OnlineScored, OnlinePassed, FeedbackCount, FeedbackPositive;
        public double LatencyMsSum, LogLatencySum, LogLatencySquares, CostSum, CostSquares, OnlineScoreSum, OnlineScoreSquares, FeedbackSum;
        public readonly long[] Histogram = new long[LatencyBuckets.UpperBoundsMs.Count];

        public void Add(Sums o)
        {
            Count += o.Count;
            Errors += o.Errors;
            LatencyCount += o.LatencyCount;
            InputTokens += o.InputTokens;
            OutputTokens += o.OutputTokens;
            OnlineScored += o.OnlineScored;
            OnlinePassed += o.OnlinePassed;
            FeedbackCount += o.FeedbackCount;
            FeedbackPositive += o.FeedbackPositive;
            LatencyMsSum += o.LatencyMsSum;
            LogLatencySum += o.LogLatencySum;
            LogLatencySquares += o.LogLatencySquares;
            CostSum += o.CostSum;
            CostSquares += o.CostSquares;
            OnlineScoreSum += o.OnlineScoreSum;
            OnlineScoreSquares += o.OnlineScoreSquares;
            FeedbackSum += o.FeedbackSum;
            for (var i = 0; i < Histogram.Length; i++)
            {
                Histogram[i] += o.Histogram[i];
            }
        }

        public ArmStats ToStats(string release, string arm, IReadOnlyList<ArmStats> groups) => new()
        {
            ReleaseId = release,
            Arm = arm,
            Count = Count,
            Errors = Errors,
            LatencyCount = LatencyCount,
            LatencyMsSum = LatencyMsSum,
            LogLatencySum = LogLatencySum,
            LogLatencySquares = LogLatencySquares,
            InputTokens = InputTokens,
            OutputTokens = OutputTokens,
            CostSum = CostSum,
            CostSquares = CostSquares,
            LatencyHistogram = (long[])Histogram.Clone(),
            OnlineScored = OnlineScored,
            OnlinePassed = OnlinePassed,
            OnlineScoreSum = OnlineScoreSum,
            OnlineScoreSquares = OnlineScoreSquares,
            FeedbackCount = FeedbackCount,
            FeedbackSum = FeedbackSum,
            FeedbackPositive = FeedbackPositive,
            Groups = groups,
        };
    }
}
