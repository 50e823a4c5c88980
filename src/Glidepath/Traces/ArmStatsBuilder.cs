namespace Glidepath.Traces;

/// <summary>
/// Sums aggregate rows (per minute and subject group) and feedback scores into one <see cref="ArmStats"/> per
/// (release, arm), with its per-group sums: the part of reading arm statistics every store shares. Rows are merged
/// with <see cref="TraceAggregateDelta.Add"/> and feedback is counted with <see cref="FeedbackScore"/>, so no store
/// has its own copy of either rule.
/// </summary>
public sealed class ArmStatsBuilder
{
    private readonly Dictionary<(string Release, string Arm), Sums[]> _arms = [];

    /// <summary>Adds one stored aggregate row (any minute) to its arm and group.</summary>
    public void Add(TraceAggregateDelta row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Slot(row.ReleaseId, row.Arm, row.Group).Traffic.Add(row);
    }

    /// <summary>Adds one feedback score on a trace of this arm and subject group.</summary>
    public void AddFeedback(string releaseId, string arm, int group, double score)
    {
        var s = Slot(releaseId, arm, group);
        s.FeedbackCount++;
        s.FeedbackSum += score;
        s.FeedbackPositive += FeedbackScore.IsPositive(score) ? 1 : 0;
    }

    /// <summary>One <see cref="ArmStats"/> per (release, arm), ordered by release then arm, each with its groups.</summary>
    public IReadOnlyList<ArmStats> Build()
    {
        var list = new List<ArmStats>(_arms.Count);
        foreach (var ((release, arm), groups) in _arms.OrderBy(a => a.Key.Release, StringComparer.Ordinal).ThenBy(a => a.Key.Arm, StringComparer.Ordinal))
        {
            var total = new Sums(release, arm, 0);
            var perGroup = new ArmStats[groups.Length];
            for (var g = 0; g < groups.Length; g++)
            {
                total.Add(groups[g]);
                perGroup[g] = groups[g].ToStats([]);
            }

            list.Add(total.ToStats(perGroup));
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
                groups[i] = new Sums(releaseId, arm, i);
            }

            _arms[(releaseId, arm)] = groups;
        }

        return groups[Math.Clamp(group, 0, SubjectGroups.Count - 1)];
    }

    private sealed class Sums(string release, string arm, int group)
    {
        // The arm's traffic as one row of its own (no app, environment or minute: it spans them).
        public TraceAggregateDelta Traffic { get; } = new() { App = "", Environment = "", ReleaseId = release, Arm = arm, Minute = default, Group = group };

        public long FeedbackCount { get; set; }
        public double FeedbackSum { get; set; }
        public long FeedbackPositive { get; set; }

        public void Add(Sums o)
        {
            Traffic.Add(o.Traffic);
            FeedbackCount += o.FeedbackCount;
            FeedbackSum += o.FeedbackSum;
            FeedbackPositive += o.FeedbackPositive;
        }

        public ArmStats ToStats(IReadOnlyList<ArmStats> groups) => new()
        {
            ReleaseId = Traffic.ReleaseId,
            Arm = Traffic.Arm,
            Count = Traffic.Count,
            Errors = Traffic.Errors,
            OneArmErrors = Traffic.OneArmErrors,
            ProviderCalls = Traffic.ProviderCalls,
            RetriedCalls = Traffic.RetriedCalls,
            Cancelled = Traffic.Cancelled,
            LatencyCount = Traffic.LatencyCount,
            LatencyMsSum = Traffic.LatencyMsSum,
            LogLatencySum = Traffic.LogLatencySum,
            LogLatencySquares = Traffic.LogLatencySquares,
            InputTokens = Traffic.InputTokens,
            OutputTokens = Traffic.OutputTokens,
            CostSum = Traffic.CostSum,
            CostSquares = Traffic.CostSquares,
            LatencyHistogram = (long[])Traffic.LatencyHistogram.Clone(),
            OnlineScored = Traffic.OnlineScored,
            OnlinePassed = Traffic.OnlinePassed,
            OnlineScoreSum = Traffic.OnlineScoreSum,
            OnlineScoreSquares = Traffic.OnlineScoreSquares,
            FirstTokenCount = Traffic.FirstTokenCount,
            LogFirstTokenSum = Traffic.LogFirstTokenSum,
            LogFirstTokenSquares = Traffic.LogFirstTokenSquares,
            FeedbackCount = FeedbackCount,
            FeedbackSum = FeedbackSum,
            FeedbackPositive = FeedbackPositive,
            Groups = groups,
        };
    }
}
