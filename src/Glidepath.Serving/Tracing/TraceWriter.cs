using Glidepath.Serving.Hosting;
using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Drains the trace queue into the store in batches, off the request path. While the store is unreachable, or busy (a
/// lock another connection holds, a statement or command that timed out; <see cref="StoreReachability"/>), the current
/// batch is kept and retried with a backoff, and the bounded queue buffers behind it; once the queue is full new traces
/// are dropped and counted (the gateway keeps serving, never waits). A batch still busy after
/// <see cref="ServingOptions.StoreBusyLimit"/> is given up, and one the store refuses while reachable is dropped: either
/// is counted, and logged. When the store is back, the backlog is written. Each kind of failure is logged once per
/// episode, drops once a minute with their count (<see cref="TraceDropReport"/>), and the last write's outcome shows in
/// <see cref="StoreWriteStatus"/> (<c>/readyz</c>'s <c>store_writes</c>).
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
    private readonly BusyRetryLimit _busy = new(settings.Time, settings.StoreBusyLimit);
    private readonly TraceDropReport _drops = new(queue, logger, settings.StoreBusyLimit, settings.TracesDroppedShownIn);
    private string? _lastError;
    private long _written;

    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _drops.Start(settings.Time);
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
        _drops.Dispose();
        _drops.Report(); // what was dropped while serving, apart from what the stop loses
        var droppedBefore = queue.Dropped;
        using var deadline = new StopDeadline(cancellationToken, settings.Time);
        try
        {
            await DrainAsync(_batch, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            queue.CountDropped(_batch.Count, TraceDrop.Stopped);
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

        queue.CountDropped(_batch.Count, TraceDrop.Stopped);
        queue.Settled(_batch);
        _batch.Clear();
        if (queue.Dropped - droppedBefore is var lost and > 0)
        {
            LogNotWrittenAtStop(logger, lost, settings.TracesDroppedShownIn, _lastError ?? "the stop's deadline passed");
        }
    }

    public override void Dispose()
    {
        _drops.Dispose();
        base.Dispose();
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

            // In progress from here until its outcome is recorded (a failure's once it is classified, which may take as
            // long again on a store that hangs), so /readyz's store_writes never reads ok in between.
            writes.WriteStarted(StoreWriteStatus.Writer.Traces, settings.Failures?.Location);
            try
            {
                await store.WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                telemetry.TracesWritten.Add(batch.Count);
                queue.Settled(batch);
                batch.Clear();
                backoff = FirstRetry;
                _lastError = null;
                _busy.Reset();
                writes.Succeeded(StoreWriteStatus.Writer.Traces);
                writes.WriteEnded(StoreWriteStatus.Writer.Traces);
                if (_outage.Succeeded())
                {
                    LogRecovered(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                // Cancelled mid-write (a stop): SQLite reports its interrupted statement as an error, not a cancellation.
                // The batch is kept for the stop to write, never taken for a refusal and dropped.
                writes.WriteEnded(StoreWriteStatus.Writer.Traces);
                throw new OperationCanceledException("the trace write was cancelled", ex, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _lastError = ex.Message;
                try
                {
                    await FailedAsync(batch, ex, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    writes.WriteEnded(StoreWriteStatus.Writer.Traces);
                }

                await Task.Delay(backoff, settings.Time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastRetry.Ticks));
            }
            catch (OperationCanceledException)
            {
                writes.WriteEnded(StoreWriteStatus.Writer.Traces);
                throw;
            }
        }
    }

    /// <summary>
    /// Fail static: while the store is unreachable or busy the batch waits here and the bounded queue fills behind it (then
    /// new traces are dropped and counted), so an outage or a lock shorter than the queue loses nothing. A batch the store
    /// refuses while it is reachable would never be written, and one that stays busy past the limit may never be while it
    /// holds back every later one: either is dropped, counted and logged.
    /// </summary>
    private async Task FailedAsync(List<TraceRecord> batch, Exception ex, CancellationToken cancellationToken)
    {
        var failure = await StoreReachability.ClassifyAsync(settings, ex, cancellationToken).ConfigureAwait(false);
        var givenUp = _busy.Exhausted(failure);
        var state = BusyRetryLimit.StateAfter(failure, givenUp);
        writes.Failed(StoreWriteStatus.Writer.Traces, state, settings, ex);
        var location = settings.Failures?.Location;
        if (givenUp)
        {
            LogGivenUp(logger, batch.Count, settings.TracesDroppedShownIn, location, _busy.Limit, ex.Message); // at most once per limit
        }
        else if (_outage.Failed(failure.ToString()))
        {
            switch (failure)
            {
                case StoreFailure.Busy:
                    LogStoreBusy(logger, location, batch.Count, _busy.Limit, settings.TracesDroppedShownIn, ex.Message);
                    break;
                case StoreFailure.Refused:
                    LogRefused(logger, location, batch.Count, settings.TracesDroppedShownIn, ex.Message);
                    break;
                default:
                    LogUnreachable(logger, batch.Count, settings.TracesDroppedShownIn, ex.Message);
                    break;
            }
        }

        if (state == StoreWriteState.Dropping)
        {
            queue.CountDropped(batch.Count, givenUp ? TraceDrop.GivenUp : TraceDrop.Refused);
            queue.Settled(batch);
            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach the store to write a batch of {Count} trace(s): the batch is kept and retried with a backoff while new traces wait in the queue; once the queue is full, new traces are dropped (counted in {CountedIn} and logged once a minute). Logged once per outage: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, int count, string countedIn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store at {Location} is busy (a lock another connection holds, a statement or command that timed out, or another failure that passes with time): a batch of {Count} trace(s) is kept and retried for up to {Limit}, then dropped; new traces wait in the queue, and once it is full they are dropped (counted in {CountedIn} and logged once a minute). Logged once while it stays busy: {Reason}")]
    private static partial void LogStoreBusy(ILogger logger, string? location, int count, TimeSpan limit, string countedIn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store at {Location} refused a batch of {Count} trace(s) while it could be reached: the batch is dropped (counted in {CountedIn}), as written again it would be refused again. Logged once until a write fails another way or succeeds: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? location, int count, string countedIn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} trace(s) is dropped (counted in {CountedIn}): the store at {Location} stayed busy for {Limit} while it was retried, and later traces are no longer held behind it: {Reason}")]
    private static partial void LogGivenUp(ILogger logger, int count, string countedIn, string? location, TimeSpan limit, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping: {Count} trace(s) were not written to the store and are lost (counted in {CountedIn}): {Reason}")]
    private static partial void LogNotWrittenAtStop(ILogger logger, long count, string countedIn, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace writes to the store work again")]
    private static partial void LogRecovered(ILogger logger);
}
