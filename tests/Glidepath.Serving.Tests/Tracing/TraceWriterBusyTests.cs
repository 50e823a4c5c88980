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
/// A store that can be read but whose writes fail for a reason that passes (another process holds SQLite's write lock):
/// the trace writer keeps the batch as in an outage, says so once per episode, and writes everything when it passes.
/// </summary>
public sealed class TraceWriterBusyTests
{
    private const int Count = 5;

    [Fact]
    public async Task WriteBatch_StoreBusyForSeveralAttempts_KeptLoggedOnceAndWrittenWhenItPasses()
    {
        await using var f = await ServingFixture.StartAsync();
        var busy = new BusyTraceStore(f.Store.Traces, f.Store.Location);
        var options = f.Options with { Traces = busy, Failures = busy };
        var queue = new TraceQueue(100);
        var status = new StoreWriteStatus();
        var log = new CapturedLog<TraceWriter>();
        using var writer = new TraceWriter(queue, busy, options, log, f.Services.GetRequiredService<ServingTelemetry>(), status);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < Count; i++)
        {
            Assert.True(queue.TryEnqueue(TestTraces.Stable(i) with { ReleaseId = f.V1.Id }));
        }

        // Three failed attempts: the first and two retries after it (the deadline only turns "never" into a failure).
        await Until(() => busy.Attempts >= 3 && queue.Unwritten == Count, "three failed writes with every trace held");
        Assert.True(status.Current.Busy);
        Assert.NotNull(status.Current.BusySince);
        Assert.Contains(f.Store.Location, status.Current.Reason, StringComparison.Ordinal);
        Assert.Equal(0, queue.Dropped);
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Contains($"The store at {f.Store.Location} is busy", warning.Text, StringComparison.Ordinal);
        Assert.Contains(BusyTraceStore.Error, warning.Text, StringComparison.Ordinal);

        // Named as every host has it (an SDK app has no /readyz; a gateway sets TracesDroppedShownIn to its /readyz).
        Assert.Contains("counted in the glidepath.traces.dropped counter", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/readyz", warning.Text, StringComparison.Ordinal);

        busy.LetGo();
        await Until(() => queue.Unwritten == 0, "the kept traces to be written");
        for (var i = 0; i < Count; i++)
        {
            Assert.NotNull(await f.Store.Traces.GetAsync(TestTraces.Stable(i).TraceId, CancellationToken.None));
        }

        Assert.Equal((false, 0L, Count), (status.Current.Busy, queue.Dropped, writer.Written));
        Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.Single(log.Lines, l => l.Text == "Trace writes to the store work again");
        await writer.StopAsync(CancellationToken.None);
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(20))
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited 30 s for {what}");
        }
    }

    /// <summary>Fails every batch write as busy until <see cref="LetGo"/>, and says such a failure is transient; reads pass through.</summary>
    private sealed class BusyTraceStore(ITraceStore inner, string location) : Glidepath.Testing.ForwardingTraceStore(inner), IStoreFailures
    {
        public const string Error = "SQLite Error 5: 'database is locked'. (test)";

        private volatile bool _busy = true;
        private int _attempts;

        public string Location => location;

        public int Attempts => Volatile.Read(ref _attempts);

        public void LetGo() => _busy = false;

        public bool IsTransient(Exception error) => error is TimeoutException;

        public override Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
        {
            if (_busy)
            {
                Interlocked.Increment(ref _attempts);
                throw new TimeoutException(Error);
            }

            return Inner.WriteBatchAsync(traces, cancellationToken);
        }
    }
}
