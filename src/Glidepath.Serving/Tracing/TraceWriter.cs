using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Drains the trace queue into the store in batches, off the request path. While the store is unreachable the
/// current batch is kept and retried with a backoff, and the bounded queue buffers behind it; once the queue is full new
/// traces are dropped and counted (the gateway keeps serving, never waits). When the store is back, the backlog is
/// written. The failure is logged once per outage.
/// </summary>
internal sealed partial class TraceWriter(TraceQueue queue, ITraceStore store, ServingOptions settings, ILogger<TraceWriter> logger, ServingTelemetry telemetry) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private bool _failing;
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<TraceRecord>(settings.TraceBatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Let a batch gather: one transaction per interval instead of one per request.
                if (queue.Count < settings.TraceBatchSize)
                {
                    await Task.Delay(settings.TraceFlushInterval, settings.Time, stoppingToken).ConfigureAwait(false);
                }

                await DrainAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: write what is left, briefly; what cannot be written by then is counted as dropped.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await DrainAsync(batch, last.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            queue.CountDropped(batch.Count + queue.Count);
            queue.Settled(batch);

            // What is still queued is dropped too: feedback waiting for any of it is answered now, not held.
            batch.Clear();
            while (queue.Reader.TryRead(out var left))
            {
                batch.Add(left);
            }

            queue.Settled(batch);
        }
    }

    private async Task DrainAsync(List<TraceRecord> batch, CancellationToken cancellationToken)
    {
        var backoff = FirstRetry;
        while (true)
        {
            // A batch the store could not take is kept (while the store is unreachable) and written first when it is back.
            while (batch.Count < settings.TraceBatchSize && queue.Reader.TryRead(out var trace))
            {
                batch.Add(trace);
            }

            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                await store.WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                telemetry.TracesWritten.Add(batch.Count);
                queue.Settled(batch);
                batch.Clear();
                backoff = FirstRetry;
                if (_failing)
                {
                    _failing = false;
                    LogRecovered(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (!_failing)
                {
                    _failing = true;
                    LogWriteFailed(logger, batch.Count, ex.Message);
                }

                // Fail static: while the store is unreachable the batch waits here and the bounded queue fills behind it
                // (then new traces are dropped and counted), so an outage shorter than the queue loses nothing. A batch
                // the store refuses while it is reachable would never be written: it is dropped and counted.
                if (!await Hosting.StoreReachability.UnreachableAsync(settings, cancellationToken).ConfigureAwait(false))
                {
                    queue.CountDropped(batch.Count);
                    queue.Settled(batch);
                    batch.Clear();
                }

                await Task.Delay(backoff, settings.Time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write a batch of {Count} trace(s) to the store: kept and retried while the store is unreachable (dropped only when the queue fills or the store refuses them, counted in /readyz's traces_dropped); logged once per outage: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace writes to the store work again")]
    private static partial void LogRecovered(ILogger logger);
}
