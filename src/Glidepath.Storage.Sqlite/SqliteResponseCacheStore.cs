using System.Globalization;

namespace Glidepath.Storage.Sqlite;

internal sealed class SqliteResponseCacheStore(SqliteDatabase database) : IResponseCacheStore
{
    public async Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT response_json FROM response_cache WHERE cache_key = $k AND expires_at > $now";
        cmd.Parameters.AddWithValue("$k", key);
        cmd.Parameters.AddWithValue("$now", Timestamp(now));
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public async Task SetAsync(CachedResponse entry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO response_cache (cache_key, provider, model, response_json, created_at, expires_at)
            VALUES ($k, $p, $m, $json, $created, $expires)
            ON CONFLICT (cache_key) DO UPDATE SET
                provider = excluded.provider, model = excluded.model, response_json = excluded.response_json,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            """;
        cmd.Parameters.AddWithValue("$k", entry.Key);
        cmd.Parameters.AddWithValue("$p", entry.Provider);
        cmd.Parameters.AddWithValue("$m", entry.Model);
        cmd.Parameters.AddWithValue("$json", entry.ResponseJson);
        cmd.Parameters.AddWithValue("$created", Timestamp(entry.CreatedAt));
        cmd.Parameters.AddWithValue("$expires", Timestamp(entry.ExpiresAt));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM response_cache WHERE expires_at <= $now";
        cmd.Parameters.AddWithValue("$now", Timestamp(now));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Fixed-width UTC timestamps compare correctly as text.
    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
