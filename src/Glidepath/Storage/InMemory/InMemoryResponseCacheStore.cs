namespace Glidepath.Storage.InMemory;

/// <summary>Cached model responses by key; an entry is returned only before it expires.</summary>
internal sealed class InMemoryResponseCacheStore : IResponseCacheStore
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, CachedResponse> _entries = new(StringComparer.Ordinal);

    public Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now ? entry.ResponseJson : null;
            }
        }, cancellationToken);

    public Task SetAsync(CachedResponse entry, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(entry);
            lock (_sync)
            {
                _entries[entry.Key] = entry;
            }
        }, cancellationToken);

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var expired = _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList();
                foreach (var key in expired)
                {
                    _entries.Remove(key);
                }

                return expired.Count;
            }
        }, cancellationToken);
}
