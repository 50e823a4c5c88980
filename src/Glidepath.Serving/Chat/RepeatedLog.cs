using System.Collections.Concurrent;

namespace Glidepath.Serving.Chat;

/// <summary>
/// Lets one log entry per key through each <see cref="Interval"/> and counts the ones held back, so a condition every
/// request hits (a release that cannot be served) is one line a minute saying how many requests it refused, not one line
/// per request. Keys are few (a release and its reason); past <see cref="MaxKeys"/> the table starts over.
/// </summary>
internal sealed class RepeatedLog(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public const int MaxKeys = 1_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>True when an entry for <paramref name="key"/> should be written now; <paramref name="heldBack"/> says how many were not since the last.</summary>
    public bool ShouldLog(string key, out long heldBack)
    {
        if (_entries.Count > MaxKeys)
        {
            _entries.Clear();
        }

        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(key, _ => new Entry());
        lock (entry)
        {
            if (entry.Last is { } last && now - last < Interval)
            {
                entry.HeldBack++;
                heldBack = 0;
                return false;
            }

            heldBack = entry.HeldBack;
            entry.HeldBack = 0;
            entry.Last = now;
            return true;
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset? Last { get; set; }

        public long HeldBack { get; set; }
    }
}
