using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Glidepath.Serving.Keys;

/// <summary>
/// Each key's requests calling the model now, so one key cannot hold every provider slot (attack trial D §4: sixteen long
/// streams under one key made every other caller's request a 503). One counter per key, kept for the process's life: a
/// lookup and a compare-and-swap per request, no lock and no allocation once the key has been seen.
/// </summary>
internal sealed class KeyCallsInFlight
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _calls = new(StringComparer.Ordinal);

    /// <summary>Takes a place for one more call of <paramref name="keyId"/>; false (nothing taken) when it has <paramref name="limit"/> already.</summary>
    public bool TryEnter(string keyId, int limit)
    {
        // A place is taken only while the count is below the limit: a refused request never touches the counter. Adding
        // first and giving back on refusal let the counter pass the limit for a moment, and a request arriving then was
        // refused while the key held fewer than its share.
        var count = _calls.GetOrAdd(keyId, static _ => new StrongBox<int>());
        var seen = Volatile.Read(ref count.Value);
        while (seen < limit)
        {
            var was = Interlocked.CompareExchange(ref count.Value, seen + 1, seen);
            if (was == seen)
            {
                return true;
            }

            seen = was;
        }

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
