using Glidepath.Access;
using Glidepath.Errors;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Access tokens (hashes only) in PostgreSQL (migrations 0009, 0023 and 0024).</summary>
internal sealed class PostgresAccessTokenStore(PostgresDatabase database) : IAccessTokenStore
{
    private const string Columns = "id, app, environment, name, role, token_hash, created_at, created_by, revoked_at, revoked_by, revoke_reason";

    public async Task AddAsync(AccessToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"INSERT INTO access_tokens ({Columns}) VALUES (@id, @app, @env, @name, @role, @hash, @at, @by, @revoked, @revokedBy, @revokeReason)");
        cmd.With("id", token.Id).With("app", token.App).With("env", token.Environment).With("name", token.Name).With("role", RoleNames.Name(token.Role))
            .With("hash", token.TokenHash).With("at", Iso(token.CreatedAt)).With("by", token.CreatedBy).With("revoked", token.RevokedAt is { } r ? Iso(r) : null)
            .With("revokedBy", token.RevokedBy).With("revokeReason", token.RevokeReason);
        try
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The id or hash is taken (random, so practically never), or the name is in use in some case (0023's index).
            throw StoreConflicts.TokenNameTaken(token.Name, ex);
        }
    }

    public async Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM access_tokens WHERE app = @app ORDER BY created_at, seq").With("app", app);
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
        await using var cmd = connection.Command($"SELECT {Columns} FROM access_tokens WHERE app = @app AND token_hash = @hash").With("app", app).With("hash", tokenHash);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    public async Task<AccessToken?> RevokeAsync(string app, string id, Revocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"UPDATE access_tokens SET {PostgresRevocation.Set} WHERE app = @app AND id = @id RETURNING {Columns}")
            .With("app", app).With("id", id).WithRevocation(revocation);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    private static AccessToken Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetString(0),
        App = r.GetString(1),
        Environment = r.GetString(2),
        Name = r.GetString(3),
        Role = RoleNames.TryParse(r.GetString(4)) ?? throw new OperationalException($"access token {r.GetString(0)} has an unknown role '{r.GetString(4)}' in the store"),
        TokenHash = r.GetString(5),
        CreatedAt = ParseIso(r.GetString(6)),
        CreatedBy = r.GetString(7),
        RevokedAt = r.IsDBNull(8) ? null : ParseIso(r.GetString(8)),
        RevokedBy = r.StringOrNull(9),
        RevokeReason = r.StringOrNull(10),
    };
}
