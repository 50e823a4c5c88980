using Glidepath.Serving.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// A batch is retried while the store stays busy for at most the limit, counted from its first busy failure; an outage
/// is not the batch's fault and ends the count, and so does the batch being written.
/// </summary>
public sealed class BusyRetryLimitTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    [Fact]
    public void Exhausted_BusyForTheLimit_TrueOnceThenCountsAfresh()
    {
        var time = new FakeTimeProvider();
        var busy = new BusyRetryLimit(time, Limit);

        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(Limit - TimeSpan.FromSeconds(1));
        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(busy.Exhausted(StoreFailure.Busy));

        Assert.False(busy.Exhausted(StoreFailure.Busy)); // the next batch's first busy failure
    }

    [Theory]
    [InlineData(nameof(StoreFailure.Unreachable))]
    [InlineData(nameof(StoreFailure.Refused))]
    public void Exhausted_AnotherFailureBetween_EndsTheBusyRun(string otherFailure)
    {
        var other = Enum.Parse<StoreFailure>(otherFailure);
        var time = new FakeTimeProvider();
        var busy = new BusyRetryLimit(time, Limit);

        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(Limit);
        Assert.False(busy.Exhausted(other));
        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(Limit - TimeSpan.FromSeconds(1));
        Assert.False(busy.Exhausted(StoreFailure.Busy));
    }

    [Fact]
    public void Reset_BatchWritten_NextBatchCountsFromItsOwnFirstFailure()
    {
        var time = new FakeTimeProvider();
        var busy = new BusyRetryLimit(time, Limit);
        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(Limit - TimeSpan.FromSeconds(1));

        busy.Reset();
        Assert.False(busy.Exhausted(StoreFailure.Busy));
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(busy.Exhausted(StoreFailure.Busy));
    }
}
