namespace Glidepath.Storage;

/// <summary>
/// Model responses cached for evals, by key (sha256 of provider, model, parameters, messages, tools and
/// trial index). Entries expire; an expired entry is never returned.
/// </summary>
public interface IResponseCacheStore
{
    /// <summary>The cached response JSON, or null when absent or expired at <paramref name="now"/>.</summary>
    Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) an entry.</summary>
    Task SetAsync(CachedResponse entry, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) several entries; a store may do it in one write (the default writes one by one).</summary>
    async Task SetManyAsync(IReadOnlyList<CachedResponse> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            await SetAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes expired entries; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
