using System.Globalization;
using Glidepath.Access;
using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Access tokens (hashes only) in SQLite (migrations 0014, 0023 and 0024).</summary>
internal sealed class SqliteAccessTokenStore(SqliteDatabase database) : IAccessTokenStore
{
    private const string Columns = "id, app, environment, name, role, token_hash, created_at, created_by, revoked_at, revoked_by, revoke_reason";

    public async Task AddAsync(AccessToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"INSERT INTO access_tokens ({Columns}) VALUES ($id, $app, $env, $name, $role, $hash, $at, $by, $revoked, $revokedBy, $revokeReason)";
        cmd.Parameters.AddWithValue("$id", token.Id);
        cmd.Parameters.AddWithValue("$app", token.App);
        cmd.Parameters.AddWithValue("$env", token.Environment);
        cmd.Parameters.AddWithValue("$name", token.Name);
        cmd.Parameters.AddWithValue("$role", RoleNames.Name(token.Role));
        cmd.Parameters.AddWithValue("$hash", token.TokenHash);
        cmd.Parameters.AddWithValue("$at", Iso(token.CreatedAt));
        cmd.Parameters.AddWithValue("$by", token.CreatedBy);
        cmd.Parameters.AddWithValue("$revoked", token.RevokedAt is { } r ? Iso(r) : DBNull.Value);
        cmd.Parameters.AddWithValue("$revokedBy", (object?)token.RevokedBy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$revokeReason", (object?)token.RevokeReason ?? DBNull.Value);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the id or hash is taken (random, so practically never), or the name is in use in some case (0023's index).
            throw StoreConflicts.TokenNameTaken(token.Name, ex);
        }
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM access_tokens WHERE app = $app ORDER BY created_at, rowid";
        cmd.Parameters.AddWithValue("$app", app);
        var list = new List<AccessToken>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(r));
        }

        return list;
    }

    public async Task<AccessToken?> FindAsync(string app, string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM access_tokens WHERE app = $app AND token_hash = $hash";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$hash", tokenHash);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    public async Task<AccessToken?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"UPDATE access_tokens SET {SqliteRevocation.Set} WHERE app = $app AND id = $id RETURNING {Columns}";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$id", id);
        SqliteRevocation.Bind(cmd, revocation);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    private static AccessToken Read(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        App = r.GetString(1),
        Environment = r.GetString(2),
        Name = r.GetString(3),
        Role = RoleNames.TryParse(r.GetString(4)) ?? throw new OperationalException($"access token {r.GetString(0)} has an unknown role '{r.GetString(4)}' in the store"),
        TokenHash = r.GetString(5),
        CreatedAt = Parse(r.GetString(6)),
        CreatedBy = r.GetString(7),
        RevokedAt = r.IsDBNull(8) ? null : Parse(r.GetString(8)),
        RevokedBy = r.IsDBNull(9) ? null : r.GetString(9),
        RevokeReason = r.IsDBNull(10) ? null : r.GetString(10),
    };

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
