using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>
/// Retention's clock: the cut-off comes from the store's own clock when it has one (PostgreSQL's server), and a pass far
/// past the newest trace deletes nothing, so a gateway whose clock is ahead cannot empty the traces.
/// </summary>
public abstract class TraceRetentionContract(IStoreFactory factory) : StoreContract(factory)
{
    /// <summary>Whether the store has a clock of its own (a database server's) that retention cuts off from.</summary>
    protected virtual bool StoreHasClock => false;

    [Fact]
    public async Task PruneAsync_InBatches_DeletesTracesOlderThanTheRetentionByTheStoresClock()
    {
        // Stamped from the real clock: PostgreSQL's cut-off is its server's now(), which a test cannot set.
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 7).Select(i => TraceStoreContract.Trace($"old{i}", at: now.AddHours(-30).AddMinutes(i))).ToList();
        await Store.Traces.WriteBatchAsync([.. old, TraceStoreContract.Trace("new", at: now.AddMinutes(-5)), TraceStoreContract.Trace("other", at: now.AddDays(-3)) with { App = "other" }], None);

        var pass = await TraceRetention.PruneAsync(Store.Traces, "app", TimeSpan.FromDays(1), now, None, batchSize: 3);

        Assert.Equal((7L, false), (pass.Deleted, pass.Skipped));
        Assert.Null(await Store.Traces.GetAsync("old6", None));
        Assert.NotNull(await Store.Traces.GetAsync("new", None));
        Assert.NotNull(await Store.Traces.GetAsync("other", None));
    }

    [Fact]
    public async Task ClockAsync_Traces_NewestOfThatAppAndTheStoresOwnClockIfAny()
    {
        var now = DateTimeOffset.UtcNow;
        await Store.Traces.WriteBatchAsync([TraceStoreContract.Trace("a1", at: TraceStoreContract.T0), TraceStoreContract.Trace("a2", at: TraceStoreContract.T0.AddMinutes(3)), TraceStoreContract.Trace("b1", at: TraceStoreContract.T0.AddDays(1)) with { App = "other" }], None);

        var clock = await Store.Traces.ClockAsync("app", None);
        var none = await Store.Traces.ClockAsync("nothing-here", None);

        Assert.Equal(TraceStoreContract.T0.AddMinutes(3), clock.Newest);
        Assert.Null(none.Newest);
        Assert.Equal(StoreHasClock, clock.StoreNow is not null);
        if (clock.StoreNow is { } storeNow)
        {
            Assert.InRange(storeNow, now.AddMinutes(-5), now.AddMinutes(5)); // the test's server runs on this machine
        }
    }

    [Fact]
    public async Task PruneAsync_LocalClockTwoDaysAhead_DeletesNoTraceYoungerThanTheRetention()
    {
        // An operator trial: a gateway started two days ahead (faketime +2d, retention 1d) deleted every trace.
        var now = DateTimeOffset.UtcNow;
        await Store.Traces.WriteBatchAsync([TraceStoreContract.Trace("recent", at: now.AddHours(-1)), TraceStoreContract.Trace("yesterday", at: now.AddHours(-20)), TraceStoreContract.Trace("old", at: now.AddDays(-3))], None);

        var pass = await TraceRetention.PruneAsync(Store.Traces, "app", TimeSpan.FromDays(1), now.AddDays(2), None);

        Assert.NotNull(await Store.Traces.GetAsync("recent", None));
        Assert.NotNull(await Store.Traces.GetAsync("yesterday", None));
        if (StoreHasClock)
        {
            // The server's clock cuts off, not the gateway's: only the trace older than the retention goes.
            Assert.Equal((1L, false), (pass.Deleted, pass.Skipped));
            Assert.Null(await Store.Traces.GetAsync("old", None));
        }
        else
        {
            // This machine's clock is the only one: two days past the newest trace, the pass deletes nothing.
            Assert.Equal((0L, true, now.AddDays(2), now.AddHours(-1)), (pass.Deleted, pass.Skipped, pass.Now, pass.Newest));
            Assert.NotNull(await Store.Traces.GetAsync("old", None));
        }
    }
}
