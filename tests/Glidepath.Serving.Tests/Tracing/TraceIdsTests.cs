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

    [Fact]
    public void Next_CallersTraceparent_NeverTheCallersId_LocalTrace_ItsOwn()
    {
        using var source = new ActivitySource("TraceIdsTests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "TraceIdsTests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var at = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        var caller = ActivityTraceId.CreateFromString("5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e");

        // Remote parent (an ASP.NET Core request span under the caller's traceparent), then the gateway's own span.
        var remote = new ActivityContext(caller, ActivitySpanId.CreateFromString("b7ad6b7169203331"), ActivityTraceFlags.Recorded, isRemote: true);
        using (var request = source.StartActivity("request", ActivityKind.Server, remote))
        using (var gateway = source.StartActivity("gateway"))
        {
            Assert.Equal(caller, gateway!.TraceId);
            Assert.True(TraceIds.FromCaller(gateway));
            var ids = new[] { TraceIds.Next(gateway, at), TraceIds.Next(gateway, at) };
            Assert.DoesNotContain(caller.ToHexString(), ids);
            Assert.NotEqual(ids[0], ids[1]);
            Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(ids[0][..12], 16));
        }

        // The legacy form: a root span given the caller's parent id as a string.
        using (var legacy = new Activity("request").SetParentId($"00-{caller.ToHexString()}-b7ad6b7169203331-01").Start())
        {
            Assert.True(TraceIds.FromCaller(legacy));
            Assert.NotEqual(caller.ToHexString(), TraceIds.Next(legacy, at));
        }

        // A trace that began here keeps the span's id, so the exported span and Glidepath-Trace match.
        using (var request = source.StartActivity("request", ActivityKind.Server))
        using (var gateway = source.StartActivity("gateway"))
        {
            Assert.False(TraceIds.FromCaller(gateway!));
            Assert.Equal(request!.TraceId.ToHexString(), TraceIds.Next(gateway, at));
        }
    }
}
