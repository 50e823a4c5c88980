using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Drains the trace queue into the store in batches, off the request path. A failed batch is dropped and
/// counted (the store may be down: the gateway keeps serving); the failure is logged once per outage.
/// </summary>
internal sealed partial class TraceWriter(TraceQueue queue, ITraceStore store, ServingOptions settings, ILogger<TraceWriter> logger, ServingTelemetry telemetry) : BackgroundService
{
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

        // Shutting down: write what is left, briefly.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await DrainAsync(batch, last.Token).ConfigureAwait(false);
    }

    private async Task DrainAsync(List<TraceRecord> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
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
                if (_failing)
                {
                    _failing = false;
                    LogRecovered(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                queue.CountDropped(batch.Count);
                if (!_failing)
                {
                    _failing = true;
                    LogWriteFailed(logger, batch.Count, ex.Message);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), settings.Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write traces to the store ({Count} dropped so far this outage, logged once): {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace writes to the store work again")]
    private static partial void LogRecovered(ILogger logger);
}
