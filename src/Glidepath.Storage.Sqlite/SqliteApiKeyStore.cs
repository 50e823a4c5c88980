using System.Globalization;
using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Keys;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Callers' keys (hashes only) in SQLite (migrations 0013 and 0024).</summary>
internal sealed class SqliteApiKeyStore(SqliteDatabase database) : IApiKeyStore
{
    private const string Columns = "id, app, environment, name, key_hash, rpm, budget_usd_per_day, created_at, created_by, revoked_at, revoked_by, revoke_reason";

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO api_keys ({Columns}) VALUES ($id, $app, $env, $name, $hash, $rpm, $budget, $at, $by, $revoked, $revokedBy, $revokeReason)";
        cmd.Parameters.AddWithValue("$id", key.Id);
        cmd.Parameters.AddWithValue("$app", key.App);
        cmd.Parameters.AddWithValue("$env", key.Environment);
        cmd.Parameters.AddWithValue("$name", key.Name);
        cmd.Parameters.AddWithValue("$hash", key.KeyHash);
        cmd.Parameters.AddWithValue("$rpm", (object?)key.RequestsPerMinute ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$budget", (object?)key.BudgetUsdPerDay ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Iso(key.CreatedAt));
        cmd.Parameters.AddWithValue("$by", key.CreatedBy);
        cmd.Parameters.AddWithValue("$revoked", key.RevokedAt is { } r ? Iso(r) : DBNull.Value);
        cmd.Parameters.AddWithValue("$revokedBy", (object?)key.RevokedBy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$revokeReason", (object?)key.RevokeReason ?? DBNull.Value);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the id or hash is taken (random, so practically never), or the name is in use.
            throw new PolicyException($"'{key.App}' already has a key named '{key.Name}' that is not revoked; revoke it first ('glidepath keys revoke {key.Name}') or choose another name", ex);
        }
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string app, string? environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM api_keys WHERE app = $app AND ($env IS NULL OR environment = $env) ORDER BY created_at, rowid";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", (object?)environment ?? DBNull.Value);
        var list = new List<ApiKey>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(r));
        }

        return list;
    }

    public async Task<ApiKey?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"UPDATE api_keys SET {SqliteRevocation.Set} WHERE app = $app AND id = $id RETURNING {Columns}";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$id", id);
        SqliteRevocation.Bind(cmd, revocation);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    private static ApiKey Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        App = r.GetString(1),
        Environment = r.GetString(2),
        Name = r.GetString(3),
        KeyHash = r.GetString(4),
        RequestsPerMinute = r.IsDBNull(5) ? null : r.GetInt32(5),
        BudgetUsdPerDay = r.IsDBNull(6) ? null : r.GetDouble(6),
        CreatedAt = Parse(r.GetString(7)),
        CreatedBy = r.GetString(8),
        RevokedAt = r.IsDBNull(9) ? null : Parse(r.GetString(9)),
        RevokedBy = r.IsDBNull(10) ? null : r.GetString(10),
        RevokeReason = r.IsDBNull(11) ? null : r.GetString(11),
    };

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
