using System.Globalization;

namespace Glidepath.Storage.Sqlite;

internal sealed class SqliteResponseCacheStore(SqliteDatabase database) : IResponseCacheStore
{
    // Read once per eval case: the statement is prepared once per kept connection, not parsed and planned on every read.
    private readonly SqlitePreparedQuery _get = new(database, "SELECT response_json FROM response_cache WHERE cache_key = $k AND expires_at > $now", "$k", "$now");

    /// <summary>The query <see cref="GetAsync"/> runs: for tests.</summary>
    internal SqlitePreparedQuery Reads => _get;

    public async Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        await _get.ScalarAsync([key, Timestamp(now)], cancellationToken).ConfigureAwait(false) as string;

    public Task SetAsync(CachedResponse entry, CancellationToken cancellationToken) => SetManyAsync([entry], cancellationToken);

    /// <summary>All entries in one transaction with one prepared statement: one commit instead of one per entry.</summary>
    public async Task SetManyAsync(IReadOnlyList<CachedResponse> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = """
            INSERT INTO response_cache (cache_key, provider, model, response_json, created_at, expires_at)
            VALUES ($k, $p, $m, $json, $created, $expires)
            ON CONFLICT (cache_key) DO UPDATE SET
                provider = excluded.provider, model = excluded.model, response_json = excluded.response_json,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            """;
        var k = cmd.Parameters.Add("$k", Microsoft.Data.Sqlite.SqliteType.Text);
        var p = cmd.Parameters.Add("$p", Microsoft.Data.Sqlite.SqliteType.Text);
        var m = cmd.Parameters.Add("$m", Microsoft.Data.Sqlite.SqliteType.Text);
        var json = cmd.Parameters.Add("$json", Microsoft.Data.Sqlite.SqliteType.Text);
        var created = cmd.Parameters.Add("$created", Microsoft.Data.Sqlite.SqliteType.Text);
        var expires = cmd.Parameters.Add("$expires", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var entry in entries)
        {
            k.Value = entry.Key;
            p.Value = entry.Provider;
            m.Value = entry.Model;
            json.Value = entry.ResponseJson;
            created.Value = Timestamp(entry.CreatedAt);
            expires.Value = Timestamp(entry.ExpiresAt);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
