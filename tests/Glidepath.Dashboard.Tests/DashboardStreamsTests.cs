using Glidepath.Gateway.Dashboard;

namespace Glidepath.Dashboard.Tests;

/// <summary>The count of live streams per actor behind the dashboard's limit: opened up to the limit, freed on close, per actor.</summary>
public sealed class DashboardStreamsTests
{
    [Fact]
    public void TryOpen_UpToTheLimitPerActor_CloseFreesOne_OtherActorsApart()
    {
        var streams = new DashboardStreams(new DashboardOptions { MaxLiveStreamsPerActor = 2 });

        Assert.True(streams.TryOpen("token:lia"));
        Assert.True(streams.TryOpen("token:lia"));
        Assert.False(streams.TryOpen("token:lia"));
        Assert.True(streams.TryOpen("token:max"));
        streams.Close("token:lia");
        Assert.True(streams.TryOpen("token:lia"));
        streams.Close("token:lia");
        streams.Close("token:lia");

        Assert.Equal(0, streams.Open("token:lia"));
        Assert.Equal(1, streams.Open("token:max"));
    }

    [Fact]
    public async Task TryOpen_ManyAtOnce_NeverMoreThanTheLimit_AllFreedAfter()
    {
        var streams = new DashboardStreams(new DashboardOptions { MaxLiveStreamsPerActor = 5 });
        var opened = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 200), async (_, _) =>
        {
            if (streams.TryOpen("token:lia"))
            {
                Interlocked.Increment(ref opened);
                Assert.True(streams.Open("token:lia") <= 5);
                await Task.Yield();
                streams.Close("token:lia");
            }
        });

        Assert.True(opened >= 5);
        Assert.Equal(0, streams.Open("token:lia"));
    }

    [Fact]
    public void New_ALimitBelowOne_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DashboardStreams(new DashboardOptions { MaxLiveStreamsPerActor = 0 }));
}
