using System.Diagnostics;
using Glidepath.Serving.Tracing;

namespace Glidepath.Serving.Tests.Tracing;

public sealed class TraceIdsTests
{
    [Fact]
    public void New_StartsWithTheTimeInMilliseconds_AndSortsByIt()
    {
        var at = new DateTimeOffset(2026, 12, 2, 16, 30, 0, 123, TimeSpan.Zero);

        var id = TraceIds.New(at);
        var later = TraceIds.New(at.AddMilliseconds(1));

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id[..12], 16));
        Assert.True(string.CompareOrdinal(id, later) < 0);
    }

    [Fact]
    public void New_SameMillisecond_DiffersInItsRandomTail()
    {
        var at = DateTimeOffset.UnixEpoch.AddDays(20_000);
        var ids = Enumerable.Range(0, 1_000).Select(_ => TraceIds.New(at)).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.NotEqual(default, ActivityTraceId.CreateFromString(id)));
    }

    [Fact]
    public void Next_WithARecordedActivity_KeepsItsTraceId()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        Assert.Equal(activity.TraceId.ToHexString(), TraceIds.Next(activity, DateTimeOffset.UnixEpoch));
        Assert.Equal("000000000000", TraceIds.Next(null, DateTimeOffset.UnixEpoch)[..12]);
    }
}
