using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Glidepath.Serving.Keys;

/// <summary>
/// Each key's requests calling the model now, so one key cannot hold every provider slot (attack trial D §4: sixteen long
/// streams under one key made every other caller's request a 503). One counter per key, kept for the process's life: a
/// lookup and an interlocked add per request, no lock and no allocation once the key has been seen.
/// </summary>
internal sealed class KeyCallsInFlight
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _calls = new(StringComparer.Ordinal);

    /// <summary>Takes a place for one more call of <paramref name="keyId"/>; false (nothing taken) when it has <paramref name="limit"/> already.</summary>
    public bool TryEnter(string keyId, int limit)
    {
        var count = _calls.GetOrAdd(keyId, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref count.Value);
        return false;
    }

    /// <summary>A call taken with <see cref="TryEnter"/> has ended.</summary>
    public void Exit(string keyId)
    {
        if (_calls.TryGetValue(keyId, out var count))
        {
            Interlocked.Decrement(ref count.Value);
        }
    }

    /// <summary>Calls of <paramref name="keyId"/> in flight now.</summary>
    public int Of(string keyId) => _calls.TryGetValue(keyId, out var count) ? Volatile.Read(ref count.Value) : 0;
}
