using System.Threading.Channels;
using Glidepath.Serving.Hosting;
using Glidepath.Shadow;
using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// Stores answered shadow pairs in batches: waits a flush interval for a batch to gather, then writes it in one
/// transaction, under the store lock the budgets re-read under (a pair is either in the store when a budget re-reads it
/// or counted locally, never both). A batch the store cannot take because it cannot be reached, or because it is busy
/// (another process holds SQLite's write lock), is kept and written again with a backoff (250 ms up to 5 s), as the trace
/// writer does (one it refuses while reachable, or that stays busy past <see cref="ServingOptions.StoreBusyLimit"/>, is
/// dropped and counted failed): a pair is written once however often it is sent (its candidate trace id is its key),
/// and an outage no longer throws away answers the candidate was paid for. While a batch waits, the bounded queue
/// fills and the workers wait for room, so nothing more is mirrored. On shutdown what is queued is written, briefly;
/// what cannot be is counted as failed.
/// </summary>
internal sealed partial class ShadowPairWriter
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly Channel<(ShadowPairRecord Pair, ShadowBudget Budget)> _pairs;
    private readonly List<(ShadowPairRecord Pair, ShadowBudget Budget)> _batch;
    private readonly ServingOptions _options;
    private readonly IShadowStore? _store;
    private readonly SemaphoreSlim _storeLock;
    private readonly ShadowCounters _counters;
    private readonly ILogger _logger;
    private readonly StoreWriteStatus? _writes;
    private readonly OutageLog _outage = new();
    private readonly BusyRetryLimit _busy;
    private int _held;

    public ShadowPairWriter(ServingOptions options, SemaphoreSlim storeLock, ShadowCounters counters, ILogger logger, StoreWriteStatus? writes = null)
    {
        _writes = writes;
        _pairs = Channel.CreateBounded<(ShadowPairRecord, ShadowBudget)>(new BoundedChannelOptions(options.ShadowQueueCapacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _batch = new(options.TraceBatchSize);
        _options = options;
        _store = options.Shadows;
        _storeLock = storeLock;
        _counters = counters;
        _logger = logger;
        _busy = new BusyRetryLimit(options.Time, options.StoreBusyLimit);
    }

    /// <summary>Answered pairs not yet stored: queued, and in the batch being written (or waiting to be written again).</summary>
    public int Pending => _pairs.Reader.Count + Volatile.Read(ref _held);

    /// <summary>Queues an answered pair; waits for room when the queue is full (the store is slow or down) rather than lose it.</summary>
    public ValueTask QueueAsync(ShadowPairRecord pair, ShadowBudget budget, CancellationToken cancellationToken) =>
        _pairs.Writer.TryWrite((pair, budget)) ? ValueTask.CompletedTask : _pairs.Writer.WriteAsync((pair, budget), cancellationToken);

    /// <summary>No more pairs will be queued: <see cref="RunAsync"/> writes what is left and ends.</summary>
    public void Complete() => _pairs.Writer.TryComplete();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var backoff = FirstRetry;
        try
        {
            while (_batch.Count > 0 || await _pairs.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_batch.Count == 0 && _pairs.Reader.Count < _options.TraceBatchSize)
                {
                    await Task.Delay(_options.TraceFlushInterval, _options.Time, stoppingToken).ConfigureAwait(false);
                }

                if (await WriteBatchAsync(stoppingToken).ConfigureAwait(false))
                {
                    backoff = FirstRetry;
                }
                else
                {
                    await Task.Delay(backoff, _options.Time, stoppingToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastRetry.Ticks));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: write what is queued and what the workers still queue until they end (the queue is completed
        // once they have), briefly.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            do
            {
                while (!await WriteBatchAsync(last.Token).ConfigureAwait(false))
                {
                    await Task.Delay(FirstRetry, _options.Time, last.Token).ConfigureAwait(false);
                }
            }
            while (await _pairs.Reader.WaitToReadAsync(last.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            var unwritten = _batch.Count;
            foreach (var (pair, budget) in _batch)
            {
                budget.Release(pair.CandidateCostUsd);
            }

            _batch.Clear();
            while (_pairs.Reader.TryRead(out var item))
            {
                item.Budget.Release(item.Pair.CandidateCostUsd);
                unwritten++;
            }

            Volatile.Write(ref _held, 0);
            if (unwritten > 0)
            {
                _counters.Fail(unwritten);
                LogUnwrittenAtStop(_logger, unwritten, _options.Host.Name);
            }
        }
    }

    /// <summary>
    /// Writes the batch topped up from the queue: true when it was stored (or there was none), false when the store
    /// refused it (kept for the next call). A batch interrupted by cancellation is kept too.
    /// </summary>
    private async Task<bool> WriteBatchAsync(CancellationToken cancellationToken)
    {
        while (_batch.Count < _options.TraceBatchSize && _pairs.Reader.TryRead(out var item))
        {
            _batch.Add(item);
        }

        Volatile.Write(ref _held, _batch.Count);
        if (_batch.Count == 0)
        {
            return true;
        }

        Exception? refusal = null;
        await _storeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _store!.WriteAsync([.. _batch.Select(b => b.Pair)], cancellationToken).ConfigureAwait(false);
            foreach (var (pair, budget) in _batch)
            {
                budget.Stored(pair.CandidateCostUsd);
            }

            _counters.Mirror(_batch.Count);
            _busy.Reset();
            _writes?.Succeeded(StoreWriteStatus.Writer.ShadowPairs);
            if (_outage.Succeeded())
            {
                LogStoredAgain(_logger, _batch.Count);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // Cancelled mid-write (a stop): SQLite reports its interrupted statement as an error; not a refusal.
            throw new OperationCanceledException("the shadow pair write was cancelled", ex, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            refusal = ex;
        }
        finally
        {
            _storeLock.Release();
        }

        if (refusal is not null)
        {
            var failure = await StoreReachability.ClassifyAsync(_options, refusal, cancellationToken).ConfigureAwait(false);
            var busy = failure == StoreFailure.Busy;
            var givenUp = _busy.Exhausted(failure);
            _writes?.Failed(StoreWriteStatus.Writer.ShadowPairs, BusyRetryLimit.StateAfter(failure, givenUp), _options, refusal);
            if (failure != StoreFailure.Refused && !givenUp)
            {
                if (_outage.Failed(busy ? nameof(StoreFailure.Busy) : null))
                {
                    if (busy)
                    {
                        LogBusy(_logger, _options.Failures?.Location, _batch.Count, _busy.Limit, refusal.Message);
                    }
                    else
                    {
                        LogUnwritten(_logger, _batch.Count, refusal.Message);
                    }
                }

                return false;
            }

            // Reachable, and refusing this batch (written again it would be refused again), or busy for it past the limit:
            // the shadow would stop for good behind it. Dropped, counted failed, its spend taken back.
            foreach (var (pair, budget) in _batch)
            {
                budget.Release(pair.CandidateCostUsd);
            }

            _counters.Fail(_batch.Count);
            if (givenUp)
            {
                LogGivenUp(_logger, _batch.Count, _options.Failures?.Location, _busy.Limit, refusal.Message);
            }
            else
            {
                LogRefused(_logger, _batch.Count, refusal.Message);
            }
        }

        _batch.Clear();
        Volatile.Write(ref _held, 0);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow pairs: {Count} could not be stored; they are kept and written again with a backoff until the store takes them (logged once): {Error}")]
    private static partial void LogUnwritten(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow pairs: the store at {Location} is busy (a lock another connection holds, a statement or command that timed out, or another failure that passes with time); {Count} are kept and written again with a backoff for up to {Limit}, then counted as failed (logged once while it stays busy): {Error}")]
    private static partial void LogBusy(ILogger logger, string? location, int count, TimeSpan limit, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow pairs: {Count} are not stored and are counted as failed: the store at {Location} stayed busy for {Limit} while they were retried, and later pairs are no longer held behind them: {Error}")]
    private static partial void LogGivenUp(ILogger logger, int count, string? location, TimeSpan limit, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow pairs: the store refused a batch of {Count} while reachable; they are not stored and are counted as failed: {Error}")]
    private static partial void LogRefused(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "shadow pairs are stored again ({Count} in this batch)")]
    private static partial void LogStoredAgain(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow pairs: {Count} could not be stored before the {Host} stopped and are not counted")]
    private static partial void LogUnwrittenAtStop(ILogger logger, int count, string host);
}
