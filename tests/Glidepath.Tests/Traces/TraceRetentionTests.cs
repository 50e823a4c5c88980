using Glidepath.Storage;
using Glidepath.Storage.InMemory;
using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

/// <summary>
/// Retention's clock check (an operator trial: a gateway two days ahead deleted every trace): the store's clock wins over
/// the local one, and a pass whose "now" is more than the margin past the newest trace deletes nothing.
/// </summary>
public sealed class TraceRetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 12)]
    [InlineData(2, 24)]
    [InlineData(30, 24)]
    public void ClockMargin_Retention_HalfOfItAtMostADay(int retentionDays, int marginHours) =>
        Assert.Equal(TimeSpan.FromHours(marginHours), TraceRetention.ClockMargin(TimeSpan.FromDays(retentionDays)));

    [Fact]
    public async Task PruneAsync_NowTwoDaysPastTheNewestTrace_SkipsAndDeletesNothing()
    {
        var store = new InMemoryStore();
        await store.Traces.WriteBatchAsync([Trace("recent", Now.AddHours(-1)), Trace("old", Now.AddDays(-3))], default);

        var pass = await TraceRetention.PruneAsync(store.Traces, "app", TimeSpan.FromDays(1), Now.AddDays(2), default);

        Assert.Equal(new RetentionPass(0, Now.AddDays(2), Now.AddHours(-1), Skipped: true), pass);
        Assert.NotNull(await store.Traces.GetAsync("old", default));
    }

    [Theory]
    [InlineData(11, false)] // within half the 1d retention: pruned
    [InlineData(13, true)]
    public async Task PruneAsync_NowHoursPastTheNewestTrace_SkippedOnlyBeyondTheMargin(int hours, bool skipped)
    {
        var store = new InMemoryStore();
        await store.Traces.WriteBatchAsync([Trace("newest", Now), Trace("old", Now.AddDays(-3))], default);

        var pass = await TraceRetention.PruneAsync(store.Traces, "app", TimeSpan.FromDays(1), Now.AddHours(hours), default);

        Assert.Equal((skipped, skipped ? 0L : 1L), (pass.Skipped, pass.Deleted));
        Assert.Equal(skipped, await store.Traces.GetAsync("old", default) is not null);
    }

    [Fact]
    public async Task PruneAsync_StoreHasAClock_CutsOffByItNotByTheLocalClock()
    {
        var store = new InMemoryStore();
        await store.Traces.WriteBatchAsync([Trace("recent", Now.AddHours(-1)), Trace("yesterday", Now.AddHours(-20)), Trace("old", Now.AddDays(-3))], default);
        var clocked = new ClockedTraceStore(store.Traces, Now);

        var pass = await TraceRetention.PruneAsync(clocked, "app", TimeSpan.FromDays(1), Now.AddDays(2), default);

        Assert.Equal(new RetentionPass(1, Now, Now.AddHours(-1), Skipped: false), pass);
        Assert.NotNull(await store.Traces.GetAsync("yesterday", default));
        Assert.Null(await store.Traces.GetAsync("old", default));
    }

    [Fact]
    public async Task PruneAsync_NoTraces_NothingToDeleteAndNotSkipped()
    {
        var pass = await TraceRetention.PruneAsync(new InMemoryStore().Traces, "app", TimeSpan.FromDays(1), Now, default);

        Assert.Equal(new RetentionPass(0, Now, null, Skipped: false), pass);
    }

    private static TraceRecord Trace(string id, DateTimeOffset at) => new()
    {
        TraceId = id,
        App = "app",
        Environment = "staging",
        ReleaseId = "r1",
        Arm = "stable",
        StartedAt = at,
        Api = "openai",
        Status = 200,
        LatencyMs = 100,
        OverheadMs = 0.2,
    };

    /// <summary>A store with a clock of its own, as PostgreSQL's server.</summary>
    private sealed class ClockedTraceStore(ITraceStore inner, DateTimeOffset now) : ForwardingTraceStore(inner)
    {
        public override async Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken) =>
            (await Inner.ClockAsync(app, cancellationToken)) with { StoreNow = now };
    }
}
