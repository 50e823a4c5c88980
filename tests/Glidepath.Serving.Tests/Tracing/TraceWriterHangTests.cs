using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Storage;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>
/// A store whose write neither succeeds nor fails (PostgreSQL frozen with SIGSTOP, a relay that drops packets): the
/// trace writer's batch hangs, and <c>/readyz</c>'s <c>store_writes</c> said ok for as long as the driver waited while
/// traces piled up behind it (trial pgtwo #1). Busy once the write has hung for <see cref="ServingOptions.HungWriteAfter"/>,
/// measured on the writer's clock (a fake one here: nothing depends on how fast the machine is), ok once it returns.
/// </summary>
public sealed class TraceWriterHangTests
{
    [Fact]
    public async Task WriteBatch_StoreHangs_BusyOnceItHasHungForTheLimitAndOkOnceItReturns()
    {
        await using var f = await ServingFixture.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var hanging = new HangingTraceStore(f.Store.Traces, f.Store.Location);
        var options = f.Options with { Traces = hanging, Failures = hanging, Time = time, TraceBatchSize = 1, HungWriteAfter = TimeSpan.FromSeconds(10) };
        var queue = new TraceQueue(100);
        var status = new StoreWriteStatus(time, options.HungWriteAfter);
        using var writer = new TraceWriter(queue, hanging, options, new CapturedLog<TraceWriter>(), f.Services.GetRequiredService<ServingTelemetry>(), status);
        await writer.StartAsync(CancellationToken.None);

        // A full batch (of one) is written at once, with no flush interval to wait on the fake clock.
        Assert.True(queue.TryEnqueue(TestTraces.Stable(0) with { ReleaseId = f.V1.Id }));
        await hanging.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(9));
        var early = status.Current;
        time.Advance(TimeSpan.FromSeconds(1));
        var hung = status.Current;

        hanging.Release();
        await Until(() => queue.Unwritten == 0, "the hung batch to be written once the store answered");

        Assert.Equal(StoreWriteState.Ok, early.State);
        Assert.Equal((StoreWriteState.Busy, true, new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero)), (hung.State, hung.Busy, hung.Since));
        Assert.Equal($"a write to the store at {f.Store.Location} started at 09:00:00 UTC has not answered for 10 s", hung.Reason);
        Assert.Equal((StoreWriteState.Ok, 1L), (status.Current.State, writer.Written));
        await writer.StopAsync(CancellationToken.None);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
        }
    }

    /// <summary>Holds the first batch write until <see cref="Release"/>, then writes it; says when that write began.</summary>
    private sealed class HangingTraceStore(ITraceStore inner, string location) : ForwardingTraceStore(inner), IStoreFailures
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Location => location;

        public Task Entered => _entered.Task;

        public void Release() => _gate.TrySetResult();

        public bool IsTransient(Exception error) => false;

        public override async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            await Inner.WriteBatchAsync(traces, cancellationToken);
        }
    }
}
