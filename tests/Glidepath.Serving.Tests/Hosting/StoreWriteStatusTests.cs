using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// The trace writer and the shadow pair writer report to one status: it says how the last writes went (busy, unreachable,
/// dropping: never ok while a writer's last write failed), busy while either writer's last write failed busy, and one
/// writer's success does not hide the other's kept or dropped batch (or restart its episode).
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

        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Busy, settings, Locked);
        var since = status.Current.BusySince;
        time.Advance(TimeSpan.FromSeconds(5));
        status.Succeeded(StoreWriteStatus.Writer.ShadowPairs); // the pair writer wrote a batch meanwhile
        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Busy, settings, Locked);

        Assert.Equal((StoreWriteState.Busy, true, since), (status.Current.State, status.Current.Busy, status.Current.Since));
        Assert.Equal(since, status.Current.BusySince);
        Assert.Contains("database is locked", status.Current.Reason, StringComparison.Ordinal);

        status.Succeeded(StoreWriteStatus.Writer.Traces);
        Assert.Equal((StoreWriteState.Ok, false), (status.Current.State, status.Current.Busy));
        Assert.Null(status.Current.BusySince);
    }

    // What holds the rollout controller of a gateway (docs/rollouts.md, "After store trouble"): traces kept, not dropped,
    // and only the trace writer's; the episode counts from its first failure.
    [Fact]
    public async Task KeepingSince_TracesKeptThenDropped_SinceTheFirstKeptFailureAndNullOnceDroppedOrWritten()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        var settings = f.Options with { Time = time };
        var status = new StoreWriteStatus();
        Assert.Null(status.KeepingSince(StoreWriteStatus.Writer.Traces));

        status.Failed(StoreWriteStatus.Writer.ShadowPairs, StoreWriteState.Unreachable, settings, Locked);
        Assert.Null(status.KeepingSince(StoreWriteStatus.Writer.Traces));
        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, settings, Locked);
        time.Advance(TimeSpan.FromSeconds(5));
        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, settings, Locked);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero), status.KeepingSince(StoreWriteStatus.Writer.Traces));

        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Dropping, settings, Locked);
        Assert.Null(status.KeepingSince(StoreWriteStatus.Writer.Traces));
        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Busy, settings, Locked);
        Assert.Equal(time.GetUtcNow(), status.KeepingSince(StoreWriteStatus.Writer.Traces));
        status.Succeeded(StoreWriteStatus.Writer.Traces);
        Assert.Null(status.KeepingSince(StoreWriteStatus.Writer.Traces));
    }

    [Fact]
    public async Task Failed_BothBusyThenOneDropsItsBatch_DroppingAndStillBusyUntilEachWritesAgain()
    {
        await using var f = await ServingFixture.StartAsync();
        var settings = f.Options;
        var status = new StoreWriteStatus();

        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Busy, settings, Locked);
        status.Failed(StoreWriteStatus.Writer.ShadowPairs, StoreWriteState.Busy, settings, Locked);
        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Dropping, settings, Locked);

        // A dropped batch is the worse news; the pairs' batch is still kept, busy.
        Assert.Equal((StoreWriteState.Dropping, true), (status.Current.State, status.Current.Busy));
        Assert.Contains("dropped", status.Current.Reason, StringComparison.Ordinal);
        status.Succeeded(StoreWriteStatus.Writer.ShadowPairs);
        Assert.Equal((StoreWriteState.Dropping, false), (status.Current.State, status.Current.Busy));
        status.Succeeded(StoreWriteStatus.Writer.Traces);
        Assert.Equal(StoreWriteState.Ok, status.Current.State);
    }

    [Fact]
    public async Task Failed_StoreUnreachable_NotOkUntilAWriteSucceeds()
    {
        await using var f = await ServingFixture.StartAsync();
        var status = new StoreWriteStatus();

        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, f.Options, new TimeoutException("Failed to connect"));

        Assert.Equal((StoreWriteState.Unreachable, false), (status.Current.State, status.Current.Busy));
        Assert.NotNull(status.Current.Since);
        Assert.StartsWith("cannot reach the store at", status.Current.Reason, StringComparison.Ordinal);
        status.Succeeded(StoreWriteStatus.Writer.Traces);
        Assert.Equal((StoreWriteState.Ok, null), (status.Current.State, status.Current.Since));
    }
}
