using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Serving.Tracing;
using Glidepath.Storage;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>
/// When the trace writer drops a batch, the log says so with the count and /readyz's status is not ok: an outside trial
/// saw a gateway drop over a thousand traces while the only line said they were "kept and retried" and
/// <c>store_writes</c> said ok. A batch that stays busy past the limit is given up, so later traces are written.
/// </summary>
public sealed class TraceWriterDropTests
{
    private const int Count = 5;

    [Fact]
    public async Task WriteBatch_StoreRefusesWhileReachable_DroppedAndLoggedWithItsCount_StatusDroppingUntilAWriteSucceeds()
    {
        await using var f = await ServingFixture.StartAsync();
        var store = new FailingTraceStore(f.Store.Traces, f.Store.Location, _ => new InvalidOperationException(FailingTraceStore.Refusal));
        var (writer, queue, status, log) = Writer(f, store, f.Options with { Traces = store, Failures = store });
        Enqueue(queue, Enumerable.Range(0, Count)); // before the writer starts: one batch
        await writer.StartAsync(CancellationToken.None);

        await Until(() => queue.Dropped == Count && queue.Unwritten == 0, "the refused batch to be dropped");

        Assert.Equal((Count, StoreWriteState.Dropping), (queue.DroppedFor(TraceDrop.Refused), status.Current.State));
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains($"The store at {f.Store.Location} refused a batch of {Count} trace(s) while it could be reached: the batch is dropped", warning.Text, StringComparison.Ordinal);
        Assert.Contains(FailingTraceStore.Refusal, warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("kept", warning.Text, StringComparison.Ordinal);

        store.LetGo();
        Enqueue(queue, [Count]);
        await Until(() => writer.Written == 1, "the next trace to be written");
        Assert.Equal(StoreWriteState.Ok, status.Current.State);

        // The drops while serving are logged with their count and the running total, apart from what a stop loses.
        await writer.StopAsync(CancellationToken.None);
        var dropped = Assert.Single(log.Lines, l => l.Text.Contains("dropped since the last such line", StringComparison.Ordinal));
        Assert.StartsWith($"{Count} trace(s) dropped since the last such line: 0 because the queue was full, {Count} refused by the store, 0 given up", dropped.Text, StringComparison.Ordinal);
        Assert.Contains($"; {Count} dropped since this process started", dropped.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteBatch_OneBatchBusyPastTheLimit_GivenUpCountedAndLogged_LaterTracesWritten()
    {
        await using var f = await ServingFixture.StartAsync();
        var poison = TestTraces.Stable(0).TraceId;
        var store = new FailingTraceStore(f.Store.Traces, f.Store.Location,
            batch => batch.Any(t => t.TraceId == poison) ? new TimeoutException(FailingTraceStore.Timeout) : null);
        // The limit is short so that the test meets it; the outcome does not depend on how long the retries take.
        var (writer, queue, status, log) = Writer(f, store, f.Options with { Traces = store, Failures = store, StoreBusyLimit = TimeSpan.FromMilliseconds(200) });
        Enqueue(queue, Enumerable.Range(0, Count));
        await writer.StartAsync(CancellationToken.None);

        await Until(() => queue.DroppedFor(TraceDrop.GivenUp) == Count, "the busy batch to be given up");
        Enqueue(queue, Enumerable.Range(Count, 3));
        await Until(() => writer.Written == 3, "the later traces to be written");

        Assert.True(store.Attempts >= 2);
        Assert.Equal((Count, 0L, StoreWriteState.Ok), (queue.Dropped, queue.Unwritten, status.Current.State));
        Assert.Single(log.Lines, l => l.Text.StartsWith($"The store at {f.Store.Location} is busy", StringComparison.Ordinal));
        var givenUp = Assert.Single(log.Lines, l => l.Text.StartsWith($"A batch of {Count} trace(s) is dropped", StringComparison.Ordinal));
        Assert.Contains("stayed busy for 00:00:00.2000000", givenUp.Text, StringComparison.Ordinal);
        await writer.StopAsync(CancellationToken.None);
    }

    private static (TraceWriter Writer, TraceQueue Queue, StoreWriteStatus Status, CapturedLog<TraceWriter> Log) Writer(ServingFixture f, ITraceStore store, ServingOptions options)
    {
        var queue = new TraceQueue(100);
        var status = new StoreWriteStatus();
        var log = new CapturedLog<TraceWriter>();
        return (new TraceWriter(queue, store, options, log, f.Services.GetRequiredService<ServingTelemetry>(), status), queue, status, log);
    }

    private static void Enqueue(TraceQueue queue, IEnumerable<int> numbers)
    {
        foreach (var i in numbers)
        {
            Assert.True(queue.TryEnqueue(TestTraces.Stable(i)));
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
        }
    }

    /// <summary>Fails a batch write with what <c>fail</c> returns for it (until <see cref="LetGo"/>); a timeout is transient.</summary>
    private sealed class FailingTraceStore(ITraceStore inner, string location, Func<IReadOnlyList<TraceRecord>, Exception?> fail) : Glidepath.Testing.ForwardingTraceStore(inner), IStoreFailures
    {
        public const string Refusal = "CHECK constraint failed: traces (test)";
        public const string Timeout = "Timeout during reading attempt (test)";

        private volatile bool _failing = true;
        private int _attempts;

        public string Location => location;

        public int Attempts => Volatile.Read(ref _attempts);

        public void LetGo() => _failing = false;

        public bool IsTransient(Exception error) => error is TimeoutException;

        public override Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
        {
            if (_failing && fail(traces) is { } error)
            {
                Interlocked.Increment(ref _attempts);
                throw error;
            }

            return Inner.WriteBatchAsync(traces, cancellationToken);
        }
    }
}
