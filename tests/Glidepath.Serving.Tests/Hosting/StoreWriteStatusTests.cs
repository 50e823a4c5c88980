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

    // An outside trial froze PostgreSQL (SIGSTOP) for 32 s: the trace writer's batch hung, traces_queued climbed, and
    // store_writes said ok throughout, as no write had failed yet (trial pgtwo #1).
    [Fact]
    public void Current_WriteInProgress_BusyOnlyOnceItHasHungForTheLimit_FromItsStart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var status = new StoreWriteStatus(time, TimeSpan.FromSeconds(10));
        var started = time.GetUtcNow();
        status.WriteStarted(StoreWriteStatus.Writer.Traces, "Host=db;Database=gp");

        time.Advance(TimeSpan.FromSeconds(9.9));
        var early = status.Current;
        time.Advance(TimeSpan.FromSeconds(0.2));
        var hung = status.Current;
        status.WriteEnded(StoreWriteStatus.Writer.Traces);

        Assert.Equal((StoreWriteState.Ok, false), (early.State, early.Busy));
        Assert.Equal((StoreWriteState.Busy, true, started, started), (hung.State, hung.Busy, hung.Since, hung.BusySince));
        Assert.Equal("a write to the store at Host=db;Database=gp started at 09:00:00 UTC has not answered for 10 s", hung.Reason);
        Assert.Equal(StoreWriteState.Ok, status.Current.State); // it returned: as the last write left it
        Assert.Null(status.KeepingSince(StoreWriteStatus.Writer.Traces)); // the controller's rule is unchanged by a hang
    }

    [Fact]
    public async Task Failed_WriteHungThenFailed_TheEpisodeBeganAtTheWritesStart()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var status = new StoreWriteStatus(time, TimeSpan.FromSeconds(10));
        var started = time.GetUtcNow();
        status.WriteStarted(StoreWriteStatus.Writer.Traces, f.Store.Location);
        time.Advance(TimeSpan.FromSeconds(30));

        status.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, f.Options with { Time = time }, new TimeoutException("Timeout during reading attempt"));
        status.WriteEnded(StoreWriteStatus.Writer.Traces);

        Assert.Equal((StoreWriteState.Unreachable, started), (status.Current.State, status.Current.Since));
    }

    [Fact]
    public async Task Current_WriteInProgressWhileAnotherWriterIsUnreachable_StaysUnreachable()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var status = new StoreWriteStatus(time, TimeSpan.FromSeconds(10));
        status.Failed(StoreWriteStatus.Writer.ShadowPairs, StoreWriteState.Unreachable, f.Options with { Time = time }, Locked);
        status.WriteStarted(StoreWriteStatus.Writer.Traces, "gp.db");

        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(StoreWriteState.Unreachable, status.Current.State);
    }
}
