using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Keys;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Callers' keys (hashes only) in PostgreSQL (migrations 0008 and 0024).</summary>
internal sealed class PostgresApiKeyStore(PostgresDatabase database) : IApiKeyStore
{
    private const string Columns = "id, app, environment, name, key_hash, rpm, budget_usd_per_day, created_at, created_by, revoked_at, revoked_by, revoke_reason";

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"INSERT INTO api_keys ({Columns}) VALUES (@id, @app, @env, @name, @hash, @rpm, @budget, @at, @by, @revoked, @revokedBy, @revokeReason)");
        cmd.With("id", key.Id).With("app", key.App).With("env", key.Environment).With("name", key.Name).With("hash", key.KeyHash)
            .With("rpm", key.RequestsPerMinute).With("budget", key.BudgetUsdPerDay).With("at", Iso(key.CreatedAt)).With("by", key.CreatedBy)
            .With("revoked", key.RevokedAt is { } r ? Iso(r) : null).With("revokedBy", key.RevokedBy).With("revokeReason", key.RevokeReason);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The id or hash is taken (random, so practically never), or the name is in use.
            throw new PolicyException($"'{key.App}' already has a key named '{key.Name}' that is not revoked; revoke it first ('glidepath keys revoke {key.Name}') or choose another name", ex);
        }
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(string app, string? environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM api_keys WHERE app = @app AND (@env::text IS NULL OR environment = @env::text) ORDER BY created_at, seq")
            .With("app", app);
        cmd.Parameters.Add(new NpgsqlParameter("env", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)environment ?? DBNull.Value });
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
        await using var cmd = connection.Command($"UPDATE api_keys SET {PostgresRevocation.Set} WHERE app = @app AND id = @id RETURNING {Columns}")
            .With("app", app).With("id", id).WithRevocation(revocation);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    private static ApiKey Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        App = r.GetString(1),
        Environment = r.GetString(2),
        Name = r.GetString(3),
        KeyHash = r.GetString(4),
        RequestsPerMinute = r.IsDBNull(5) ? null : r.GetInt32(5),
        BudgetUsdPerDay = r.IsDBNull(6) ? null : r.GetDouble(6),
        CreatedAt = ParseIso(r.GetString(7)),
        CreatedBy = r.GetString(8),
        RevokedAt = r.IsDBNull(9) ? null : ParseIso(r.GetString(9)),
        RevokedBy = r.StringOrNull(10),
        RevokeReason = r.StringOrNull(11),
    };
}
