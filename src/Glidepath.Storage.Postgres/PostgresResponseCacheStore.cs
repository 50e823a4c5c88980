using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

internal sealed class PostgresResponseCacheStore(PostgresDatabase database) : IResponseCacheStore
{
    public async Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT response_json FROM response_cache WHERE cache_key = @k AND expires_at > @now")
            .With("k", key).With("now", Iso(now));
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task SetAsync(CachedResponse entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("""
            INSERT INTO response_cache (cache_key, provider, model, response_json, created_at, expires_at)
            VALUES (@k, @p, @m, @json, @created, @expires)
            ON CONFLICT (cache_key) DO UPDATE SET
                provider = excluded.provider, model = excluded.model, response_json = excluded.response_json,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            """);
        cmd.With("k", entry.Key).With("p", entry.Provider).With("m", entry.Model).With("json", entry.ResponseJson)
            .With("created", Iso(entry.CreatedAt)).With("expires", Iso(entry.ExpiresAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("DELETE FROM response_cache WHERE expires_at <= @now").With("now", Iso(now));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
