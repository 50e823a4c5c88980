using Glidepath.Routing;
using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class SubjectGroupsTests
{
    [Fact]
    public void Of_SameSubjectDifferentRequests_SameGroup()
    {
        var hash = new SubjectHasher([7, 7, 7]).Hash("alice@example.com");

        Assert.Equal(SubjectGroups.Of(hash, "00000000000000000000000000000001"), SubjectGroups.Of(hash, "ffffffffffffffffffffffffffffffff"));
    }

    [Fact]
    public void Of_PerRequestWithSequentialTraceIds_SpreadOverEveryGroup()
    {
        // Trace ids may come from callers and share a prefix (counters, timestamps): every digit is mixed in.
        var groups = Enumerable.Range(0, 6400).Select(i => SubjectGroups.Of(null, i.ToString("x32", System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.Equal(SubjectGroups.Count, groups.Distinct().Count());
        Assert.InRange(groups.GroupBy(g => g).Max(g => g.Count()), 100, 160);
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(1, 0)]
    [InlineData(1.0001, 1)]
    [InlineData(2, 4)]
    [InlineData(800, 39)]
    [InlineData(1e9, 81)]
    public void IndexOf_Latency_BucketWhoseUpperBoundIsTheFirstAtLeastIt(double ms, int bucket)
    {
        Assert.Equal(bucket, LatencyBuckets.IndexOf(ms));
        Assert.True(ms <= LatencyBuckets.UpperBoundsMs[bucket]);
        Assert.True(bucket == 0 || ms > LatencyBuckets.UpperBoundsMs[bucket - 1]);
    }

    [Fact]
    public void Aggregate_ErroredRequest_CountedButNotInLatency()
    {
        static TraceRecord Trace(string id, int status, double ms) => new()
        {
            TraceId = id, App = "a", Environment = "e", ReleaseId = "r", Arm = "stable", SubjectHash = "0a00000000000000",
            StartedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), Api = "openai", Status = status, LatencyMs = ms, OverheadMs = 0,
        };

        var row = Assert.Single(TraceAggregator.Aggregate([Trace("t1", 200, 500), Trace("t2", 502, 0)]));

        Assert.Equal((2L, 1L, 1L), (row.Count, row.Errors, row.LatencyCount));
        Assert.Equal(Math.Log(500), row.LogLatencySum, 9);
        Assert.Equal(1, row.LatencyHistogram.Sum());
        Assert.Equal(10, row.Group);
    }
}
