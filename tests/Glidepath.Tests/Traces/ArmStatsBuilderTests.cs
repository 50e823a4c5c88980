using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class ArmStatsBuilderTests
{
    private static TraceAggregateDelta Row(string arm, int group, long count, double latencySum) => new()
    {
        App = "app",
        Environment = "staging",
        ReleaseId = "r1",
        Arm = arm,
        Minute = DateTimeOffset.UnixEpoch,
        Group = group,
        Count = count,
        LatencyCount = count,
        LatencyMsSum = latencySum,
    };

    [Fact]
    public void Build_RowsOfSeveralMinutesAndGroups_SummedPerArmAndPerGroup()
    {
        var builder = new ArmStatsBuilder();
        builder.Add(Row("stable", 3, 2, 200));
        builder.Add(Row("stable", 3, 1, 50));
        builder.Add(Row("stable", 7, 4, 400));
        builder.Add(Row("canary", 0, 1, 10));

        var stats = builder.Build();

        Assert.Equal(["canary", "stable"], stats.Select(s => s.Arm));
        var stable = stats[1];
        Assert.Equal((7L, 650.0), (stable.Count, stable.LatencyMsSum));
        Assert.Equal((3L, 4L, 0L), (stable.Groups[3].Count, stable.Groups[7].Count, stable.Groups[0].Count));
    }

    [Fact]
    public void AddFeedback_Scores_CountedPositiveByTheFeedbackRule()
    {
        var builder = new ArmStatsBuilder();
        foreach (var score in new[] { 1, FeedbackScore.PositiveThreshold, 0.2, -1 })
        {
            builder.AddFeedback("r1", "canary", 5, score);
        }

        var canary = Assert.Single(builder.Build());

        Assert.Equal((4L, 2L, 0.7), (canary.FeedbackCount, canary.FeedbackPositive, Math.Round(canary.FeedbackSum, 9)));
        Assert.Equal((4L, 2L), (canary.Groups[5].FeedbackCount, canary.Groups[5].FeedbackPositive));
        Assert.Equal(0, canary.Count);
    }
}
