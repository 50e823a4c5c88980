using Glidepath.Serving.Hosting;
using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Drains the trace queue into the store in batches, off the request path. While the store is unreachable, or busy
/// (another process holds SQLite's write lock; <see cref="StoreReachability"/>), the current batch is kept and retried
/// with a backoff, and the bounded queue buffers behind it; once the queue is full new traces are dropped and counted
/// (the gateway keeps serving, never waits). When the store is back, the backlog is written. The failure is logged once
/// per outage, and once more when it turns busy; a busy store shows in <see cref="StoreWriteStatus"/> (<c>/readyz</c>).
/// </summary>
/// <remarks>
/// At a stop the writer is the last of the trace pipeline to stop: the host's server has finished its requests in flight
/// (and the SDK its calls), the online scorer and the shadow mirror have handed over what they held (they are registered
/// after it, so they stop before it), and only then does <see cref="StopAsync"/> write what is queued, until the host's
/// shutdown timeout and for at least <see cref="StopDeadline.Floor"/>. What it cannot write by then is counted as dropped
/// and logged with its number: never lost without a word.
/// </remarks>
internal sealed partial class TraceWriter(TraceQueue queue, ITraceStore store, ServingOptions settings, ILogger<TraceWriter> logger, ServingTelemetry telemetry, StoreWriteStatus writes) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly List<TraceRecord> _batch = new(settings.TraceBatchSize);
    private readonly OutageLog _outage = new();
    private string? _lastError;
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // Let a batch gather: one transaction per interval instead of one per request.
                if (queue.Count < settings.TraceBatchSize)
                {
                    await Task.Delay(settings.TraceFlushInterval, settings.Time, stoppingToken).ConfigureAwait(false);
                }

                await DrainAsync(_batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a batch whose write was cancelled is still in _batch; StopAsync writes it with the rest.
        }
    }

    /// <summary>Ends the batching loop, then writes every trace still queued, within the stop's deadline (<see cref="StopDeadline"/>).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The loop ends at once (every wait in it is cancelled); it must have ended before the batch is touched here.
        await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
        var droppedBefore = queue.Dropped;
        using var deadline = new StopDeadline(cancellationToken, settings.Time);
        try
        {
            await DrainAsync(_batch, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            queue.CountDropped(_batch.Count);
            queue.Settled(_batch);
            _batch.Clear();
        }

        // Nothing is taken after this: a trace offered later is refused and counted as dropped. What is still queued (the
        // deadline passed) is dropped too: feedback waiting for any of it is answered now, not held.
        queue.Complete();
        while (queue.Reader.TryRead(out var left))
        {
            _batch.Add(left);
        }

        queue.CountDropped(_batch.Count);
        queue.Settled(_batch);
        _batch.Clear();
        if (queue.Dropped - droppedBefore is var lost and > 0)
        {
            LogNotWrittenAtStop(logger, lost, _lastError ?? "the stop's deadline passed");
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
                _lastError = null;
                writes.NotBusy(StoreWriteStatus.Writer.Traces);
                if (_outage.Succeeded())
                {
                    LogRecovered(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                // Cancelled mid-write (a stop): SQLite reports its interrupted statement as an error, not a cancellation.
                // The batch is kept for the stop to write, never taken for a refusal and dropped.
                throw new OperationCanceledException("the trace write was cancelled", ex, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _lastError = ex.Message;

                // Fail static: while the store is unreachable or busy the batch waits here and the bounded queue fills
                // behind it (then new traces are dropped and counted), so an outage or a lock shorter than the queue loses
                // nothing. A batch the store refuses while it is reachable would never be written: it is dropped and counted.
                var failure = await StoreReachability.ClassifyAsync(settings, ex, cancellationToken).ConfigureAwait(false);
                var busy = failure == StoreFailure.Busy;
                writes.Failed(StoreWriteStatus.Writer.Traces, failure, settings, ex);
                if (_outage.Failed(busy ? nameof(StoreFailure.Busy) : null))
                {
                    if (busy)
                    {
                        LogStoreBusy(logger, settings.Failures?.Location, batch.Count, ex.Message);
                    }
                    else
                    {
                        LogWriteFailed(logger, batch.Count, ex.Message);
                    }
                }

                if (failure == StoreFailure.Refused)
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store at {Location} is busy (another connection holds its write lock, or it reports another transient failure): a batch of {Count} trace(s) is kept and retried until it takes them (dropped only when the queue fills, counted in /readyz's traces_dropped); logged once while it stays busy: {Reason}")]
    private static partial void LogStoreBusy(ILogger logger, string? location, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping: {Count} trace(s) were not written to the store and are lost (counted in traces_dropped): {Reason}")]
    private static partial void LogNotWrittenAtStop(ILogger logger, long count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace writes to the store work again")]
    private static partial void LogRecovered(ILogger logger);
}
