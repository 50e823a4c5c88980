using Glidepath.Serving.Hosting;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Routing;

/// <summary>
/// Trial pgoutage LOW 4: <c>control_plane</c> said <c>ok</c> for ~3 s after the store was gone, while
/// <c>store_writes</c> already said <c>unreachable</c>: only the next revision read (up to a poll interval away) made it
/// stale. A failure to reach the store that this host saw in a background write makes it stale at once, until a read
/// that begins after it succeeds; no read is added for it.
/// </summary>
public sealed class ControlPlaneSeenFailureTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 23, 46, 40, TimeSpan.Zero);
    private static readonly Exception Refused = new InvalidOperationException("Failed to connect to 127.0.0.1:44502");

    [Fact]
    public void StoreFailed_AfterAGoodRead_StaleAtOnceSinceTheFailure_ReadsAloneStillOk()
    {
        var time = new FakeTimeProvider(T0);
        var status = new ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        status.Ok();
        time.Advance(TimeSpan.FromSeconds(5));

        status.StoreFailed("cannot reach the store at postgres://gp@db/gp: Failed to connect");
        time.Advance(TimeSpan.FromSeconds(1));
        status.StoreFailed("cannot reach the store at postgres://gp@db/gp: still not");
        var current = status.Current;

        Assert.Equal((true, T0.AddSeconds(5), T0), (current.Stale, current.StaleSince, current.LastOk));
        Assert.Equal("cannot reach the store at postgres://gp@db/gp: still not", current.Reason);
        Assert.Equal(TimeSpan.FromSeconds(6), current.StaleFor); // from the last good read, as a failed read counts
        Assert.False(status.FromReads.Stale);
        Assert.Null(status.UnreadableFor); // the stale-canary limit counts reads only
    }

    [Fact]
    public void Ok_AReadThatBeganAfterTheFailure_ClearsIt()
    {
        var time = new FakeTimeProvider(T0);
        var status = new ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        status.StoreFailed("cannot reach the store at db: reset");
        time.Advance(TimeSpan.FromMilliseconds(10));

        status.ReadStarted();
        status.Ok();
        status.ReadEnded();

        Assert.False(status.Current.Stale);
    }

    [Fact]
    public void Ok_AReadThatBeganBeforeTheFailure_DoesNotClearIt()
    {
        var time = new FakeTimeProvider(T0);
        var status = new ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        status.ReadStarted();
        time.Advance(TimeSpan.FromMilliseconds(10));
        status.StoreFailed("cannot reach the store at db: terminating connection due to administrator command");

        status.Ok();
        status.ReadEnded();

        Assert.True(status.Current.Stale);
        time.Advance(TimeSpan.FromMilliseconds(10));
        status.ReadStarted();
        status.Ok();
        status.ReadEnded();
        Assert.False(status.Current.Stale);
    }

    [Fact]
    public void Failed_AReadFailsAfterAWriteFailure_StaleSinceTheWriteFailure()
    {
        var time = new FakeTimeProvider(T0);
        var status = new ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        status.Ok();
        status.StoreFailed("cannot reach the store at db: reset");
        time.Advance(TimeSpan.FromSeconds(3));

        status.ReadStarted();
        status.Failed("Failed to connect");
        status.ReadEnded();

        Assert.Equal((true, T0, "Failed to connect"), (status.Current.Stale, status.Current.StaleSince, status.Current.Reason));
    }

    [Fact]
    public async Task StoreWriteStatus_UnreachableWrite_ControlPlaneStale_ABusyOrDroppedOneNot()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(T0);
        var settings = f.Options with { Time = time };
        var control = new ControlPlaneStatus(time, TimeSpan.FromSeconds(5));
        var writes = new StoreWriteStatus(time, TimeSpan.FromSeconds(10), control);
        control.Ok();

        writes.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Busy, settings, Refused);
        writes.Failed(StoreWriteStatus.Writer.ShadowPairs, StoreWriteState.Dropping, settings, Refused);
        var busyOrDropped = control.Current.Stale;
        writes.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, settings, Refused);

        Assert.False(busyOrDropped); // the store answered: it can be read
        Assert.True(control.Current.Stale);
        Assert.Equal(T0, control.Current.StaleSince);
        Assert.Contains("Failed to connect to 127.0.0.1:44502", control.Current.Reason, StringComparison.Ordinal);
    }
}
