namespace Glidepath.Serving.Keys;

/// <summary>
/// Requests per minute per key, in fixed one-minute windows aligned to the clock (<see cref="TimeProvider"/>): simple,
/// and a caller over the limit is told exactly when the window ends (<c>Retry-After</c>).
/// </summary>
internal sealed class KeyRateLimiter(TimeProvider time)
{
    private readonly Dictionary<string, (long Minute, int Count)> _windows = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>Counts one request of <paramref name="keyId"/>; zero when allowed, else how long until the next window.</summary>
    public TimeSpan TryAcquire(string keyId, int limit)
    {
        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        lock (_sync)
        {
            var count = _windows.TryGetValue(keyId, out var w) && w.Minute == minute ? w.Count : 0;
            if (count >= limit)
            {
                return DateTimeOffset.FromUnixTimeSeconds((minute + 1) * 60) - now;
            }

            _windows[keyId] = (minute, count + 1);
            return TimeSpan.Zero;
        }
    }
}
