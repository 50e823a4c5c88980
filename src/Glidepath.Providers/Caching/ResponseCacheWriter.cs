using System.Collections.Concurrent;
using System.Threading.Channels;
using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Providers.Caching;

/// <summary>
/// Writes response-cache entries off the call path, many per store write: calls hand their entry over and go on; one
/// background loop takes whatever has accumulated (up to <see cref="MaxBatch"/>) and stores it in one write. An entry
/// not yet written is still found by <see cref="TryGetPending"/>. Disposing drains what is queued. An entry lost to
/// a crash before its write is a cache miss next time, never a wrong answer.
/// </summary>
internal sealed class ResponseCacheWriter : IDisposable
{
    public const int MaxBatch = 256;

    private readonly IResponseCacheStore _store;
    private readonly ILogger _logger;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, CachedResponse> _pending = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public ResponseCacheWriter(IResponseCacheStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(CachedResponse entry)
    {
        _pending[entry.Key] = entry;
        if (!_queue.Writer.TryWrite(new Item(entry, null)))
        {
            _pending.TryRemove(KeyValuePair.Create(entry.Key, entry));
        }
    }

    /// <summary>The entry's JSON when it is queued and not yet written, unexpired at <paramref name="now"/>.</summary>
    public string? TryGetPending(string key, DateTimeOffset now) =>
        _pending.TryGetValue(key, out var entry) && entry.ExpiresAt > now ? entry.ResponseJson : null;

    /// <summary>Completes when everything queued before the call is written (or failed and logged).</summary>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite(new Item(null, done)) ? done.Task.WaitAsync(cancellationToken) : _loop.WaitAsync(cancellationToken);
    }

    /// <summary>Waits until everything queued so far is written (or failed and logged).</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (!_loop.Wait(TimeSpan.FromSeconds(30)))
        {
            Log.CacheFailed(_logger, $"response cache: {_pending.Count} entries not written within 30 s at shutdown");
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<CachedResponse>(MaxBatch);
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                if (item.Entry is { } entry)
                {
                    batch.Add(entry);
                }
                else
                {
                    // Everything queued before this marker is in the batch: written below, then the flush completes.
                    flushes.Add(item.Flushed!);
                    break;
                }
            }

            if (batch.Count > 0)
            {
                try
                {
                    await _store.SetManyAsync(batch, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // A cache that cannot be written is bypassed, as before: the answers were already returned.
                    Log.CacheFailed(_logger, ex.Message);
                }

                foreach (var entry in batch)
                {
                    _pending.TryRemove(KeyValuePair.Create(entry.Key, entry));
                }

                batch.Clear();
            }

            foreach (var flush in flushes)
            {
                flush.TrySetResult();
            }

            flushes.Clear();
        }
    }

    /// <summary>An entry to write, or a flush marker to complete once everything before it is written.</summary>
    private readonly record struct Item(CachedResponse? Entry, TaskCompletionSource? Flushed);
}
