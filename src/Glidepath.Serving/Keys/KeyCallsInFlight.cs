using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Glidepath.Serving.Keys;

/// <summary>
/// Each key's requests calling the model now, so one key cannot hold every provider slot while others wait (attack trial
/// D §4: sixteen long streams under one key made every other caller's request a 503). A key past its share is refused
/// only while another key has a request in flight: a deployment with one key (one backend service) keeps every slot.
/// One counter per key, kept for the process's life, and a count of the keys with calls in flight: interlocked adds per
/// request, no lock and no allocation once the key has been seen.
/// </summary>
internal sealed class KeyCallsInFlight
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _calls = new(StringComparer.Ordinal);
    private int _active;

    /// <summary>
    /// Takes a place for one more call of <paramref name="keyId"/>; false (nothing taken) when it has <paramref name="share"/>
    /// already and another key has a call in flight.
    /// </summary>
    public bool TryEnter(string keyId, int share)
    {
        var count = _calls.GetOrAdd(keyId, static _ => new StrongBox<int>());
        var now = Interlocked.Increment(ref count.Value);
        if (now == 1)
        {
            Interlocked.Increment(ref _active);
        }

        // Past its share (so this key was already active): refused only when some other key is active too.
        if (now <= share || Volatile.Read(ref _active) <= 1)
        {
            return true;
        }

        Leave(count);
        return false;
    }

    /// <summary>A call taken with <see cref="TryEnter"/> has ended.</summary>
    public void Exit(string keyId)
    {
        if (_calls.TryGetValue(keyId, out var count))
        {
            Leave(count);
        }
    }

    /// <summary>Calls of <paramref name="keyId"/> in flight now.</summary>
    public int Of(string keyId) => _calls.TryGetValue(keyId, out var count) ? Volatile.Read(ref count.Value) : 0;

    private void Leave(StrongBox<int> count)
    {
        if (Interlocked.Decrement(ref count.Value) == 0)
        {
            Interlocked.Decrement(ref _active);
        }
    }
}
