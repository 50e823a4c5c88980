namespace Glidepath.Serving.Tracing;

/// <summary>
/// A fixed-size ring of recently issued trace ids and whether each is still on its way to the store, so feedback on a
/// trace still in the queue waits until the batch writer has written it (or dropped it), not for a fixed time.
/// </summary>
internal sealed class RecentTraces(int capacity)
{
    private readonly string?[] _ring = new string?[capacity];

    // Trace id → whether it is still queued (false once written or dropped) and its slot in the ring.
    private readonly Dictionary<string, (bool Queued, int Slot)> _pending = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _next;

    /// <summary>
    /// Tracks <paramref name="id"/> as queued, in the newest slot: an id tracked already (issued when its call started,
    /// enqueued when it ended) moves up, so a long call is not evicted just as its trace is queued.
    /// </summary>
    public void Add(string id)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(id, out var known))
            {
                _ring[known.Slot] = null;
            }

            if (_ring[_next] is { } old)
            {
                _pending.Remove(old);
            }

            _ring[_next] = id;
            _pending[id] = (true, _next);
            _next = (_next + 1) % _ring.Length;
        }
    }

    public bool Contains(string id)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(id);
        }
    }

    /// <summary>These traces left the queue (written, or dropped): whoever waits for one of them goes on.</summary>
    public void Settle(IEnumerable<string> ids)
    {
        TaskCompletionSource progress;
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_pending.TryGetValue(id, out var known))
                {
                    _pending[id] = (false, known.Slot);
                }
            }

            progress = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        progress.TrySetResult();
    }

    /// <summary>Completes once <paramref name="id"/> is no longer queued (at once for an id not issued recently).</summary>
    public async Task WhenSettledAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task progress;
            lock (_lock)
            {
                if (!_pending.TryGetValue(id, out var known) || !known.Queued)
                {
                    return;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
