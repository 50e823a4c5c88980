using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class TraceAggregateDeltaTests
{
    private static TraceRecord Trace(string id, double latency, int status = 200, double? online = null) => new()
    {
        TraceId = id,
        App = "app",
        Environment = "staging",
        ReleaseId = "r1",
        Arm = "stable",
        SubjectHash = "abababababababab",
        StartedAt = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Api = "openai",
        Status = status,
        LatencyMs = latency,
        OverheadMs = 1,
        InputTokens = 3,
        OutputTokens = 4,
        CostUsd = 0.5,
        OnlineScore = online,
        OnlinePassed = online is >= 0.5,
    };

    [Fact]
    public void Add_TwoBatchesOfOneRow_SameAsAggregatingThemTogether()
    {
        var first = Assert.Single(TraceAggregator.Aggregate([Trace("a", 100), Trace("b", 502, status: 503)]));
        var second = Assert.Single(TraceAggregator.Aggregate([Trace("c", 40, online: 0.9), Trace("d", 2000, online: 0.2)]));
        var together = Assert.Single(TraceAggregator.Aggregate([Trace("a", 100), Trace("b", 502, status: 503), Trace("c", 40, online: 0.9), Trace("d", 2000, online: 0.2)]));

        var merged = first.EmptyCopy();
        merged.Add(first);
        merged.Add(second);

        Assert.Equal(
            (together.Count, together.Errors, together.LatencyCount, together.InputTokens, together.OutputTokens, together.OnlineScored, together.OnlinePassed),
            (merged.Count, merged.Errors, merged.LatencyCount, merged.InputTokens, merged.OutputTokens, merged.OnlineScored, merged.OnlinePassed));
        Assert.Equal(together.LatencyMsSum, merged.LatencyMsSum, 9);
        Assert.Equal(together.LogLatencySum, merged.LogLatencySum, 9);
        Assert.Equal(together.LogLatencySquares, merged.LogLatencySquares, 9);
        Assert.Equal(together.CostSquares, merged.CostSquares, 9);
        Assert.Equal(together.OnlineScoreSquares, merged.OnlineScoreSquares, 9);
        Assert.Equal(together.LatencyHistogram, merged.LatencyHistogram);
    }

    [Fact]
    public void EmptyCopy_SameKeyNoSums_AndNotSharingTheHistogram()
    {
        var row = Assert.Single(TraceAggregator.Aggregate([Trace("a", 100)]));

        var copy = row.EmptyCopy();
        copy.Add(row);

        Assert.Equal((row.App, row.Environment, row.ReleaseId, row.Arm, row.Minute, row.Group), (copy.App, copy.Environment, copy.ReleaseId, copy.Arm, copy.Minute, copy.Group));
        Assert.Equal(2, row.LatencyHistogram.Sum() + copy.LatencyHistogram.Sum());
        Assert.Equal(1, row.Count);
    }
}
