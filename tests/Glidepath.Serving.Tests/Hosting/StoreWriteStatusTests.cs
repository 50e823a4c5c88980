using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// The trace writer and the shadow pair writer report to one status: the store is busy while either writer's last write
/// failed on the lock, and one writer's success does not hide the other's kept batch (or restart its episode).
/// </summary>
public sealed class StoreWriteStatusTests
{
    private static readonly Exception Locked = new InvalidOperationException("SQLite Error 5: 'database is locked'.");

    [Fact]
    public async Task Failed_TracesBusyWhileShadowPairsWritten_StaysBusySinceTheFirstFailure()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var settings = f.Options with { Time = time };
        var status = new StoreWriteStatus();

        status.Failed(StoreWriteStatus.Writer.Traces, StoreFailure.Busy, settings, Locked);
        var since = status.Current.BusySince;
        time.Advance(TimeSpan.FromSeconds(5));
        status.NotBusy(StoreWriteStatus.Writer.ShadowPairs); // the pair writer wrote a batch meanwhile
        status.Failed(StoreWriteStatus.Writer.Traces, StoreFailure.Busy, settings, Locked);

        Assert.True(status.Current.Busy);
        Assert.Equal(since, status.Current.BusySince);
        Assert.Contains("database is locked", status.Current.Reason, StringComparison.Ordinal);

        status.NotBusy(StoreWriteStatus.Writer.Traces);
        Assert.False(status.Current.Busy);
        Assert.Null(status.Current.BusySince);
    }

    [Fact]
    public async Task Failed_BothBusyThenOneWritten_BusyUntilTheOtherIsToo()
    {
        await using var f = await ServingFixture.StartAsync();
        var settings = f.Options;
        var status = new StoreWriteStatus();

        status.Failed(StoreWriteStatus.Writer.Traces, StoreFailure.Busy, settings, Locked);
        status.Failed(StoreWriteStatus.Writer.ShadowPairs, StoreFailure.Busy, settings, Locked);
        status.Failed(StoreWriteStatus.Writer.Traces, StoreFailure.Refused, settings, Locked);

        Assert.True(status.Current.Busy);
        status.NotBusy(StoreWriteStatus.Writer.ShadowPairs);
        Assert.False(status.Current.Busy);
    }
}
