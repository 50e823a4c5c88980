using System.Globalization;
using Glidepath.Releases;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

internal sealed class SqliteReleaseStore(SqliteDatabase database) : IReleaseStore
{
    private const string Columns = "app, version, id, canonical_json, git_commit, dirty, author, created_at, message";

    public async Task<ReleaseRegistration> RegisterAsync(ReleaseDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var existing = await QueryAsync(connection, tx, "app = $app AND id = $id", cancellationToken, ("$app", draft.App), ("$id", draft.Id)).ConfigureAwait(false);
        var provenance = ReleaseProvenance.From(draft);
        if (existing.Count > 0)
        {
            var known = await SqliteReleaseProvenance.ListAsync(connection, tx, draft.App, draft.Id, cancellationToken).ConfigureAwait(false);
            if (known.Any(provenance.SameOrigin))
            {
                return new(existing[0], false, null);
            }

            var appended = await SqliteReleaseProvenance.AppendAsync(connection, tx, draft.App, provenance, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new(existing[0], false, appended);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"""
            INSERT INTO releases ({Columns})
            VALUES ($app, (SELECT COALESCE(MAX(version), 0) + 1 FROM releases WHERE app = $app), $id, $json, $commit, $dirty, $author, $at, $message)
            RETURNING version
            """;
        insert.Parameters.AddWithValue("$app", draft.App);
        insert.Parameters.AddWithValue("$id", draft.Id);
        insert.Parameters.AddWithValue("$json", draft.CanonicalJson);
        insert.Parameters.AddWithValue("$commit", (object?)draft.GitCommit ?? DBNull.Value);
        insert.Parameters.AddWithValue("$dirty", draft.Dirty ? 1 : 0);
        insert.Parameters.AddWithValue("$author", draft.Author);
        insert.Parameters.AddWithValue("$at", draft.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$message", (object?)draft.Message ?? DBNull.Value);
        var version = Convert.ToInt32(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var first = await SqliteReleaseProvenance.AppendAsync(connection, tx, draft.App, provenance, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new(new Release
        {
            Id = draft.Id,
            App = draft.App,
            Version = version,
            CanonicalJson = draft.CanonicalJson,
            GitCommit = draft.GitCommit,
            Dirty = draft.Dirty,
            Author = draft.Author,
            CreatedAt = draft.CreatedAt,
            Message = draft.Message,
        }, true, first);
    }

    public async Task<IReadOnlyList<ReleaseProvenance>> ProvenanceAsync(string app, string releaseId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await SqliteReleaseProvenance.ListAsync(connection, null, app, releaseId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Release?> GetByVersionAsync(string app, int version, CancellationToken cancellationToken) =>
        (await QueryAsync("app = $app AND version = $v", cancellationToken, ("$app", app), ("$v", version)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<Release?> GetByIdAsync(string app, string id, CancellationToken cancellationToken) =>
        (await QueryAsync("app = $app AND id = $id", cancellationToken, ("$app", app), ("$id", id)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Release>> FindByIdPrefixAsync(string app, string prefix, CancellationToken cancellationToken) =>
        QueryAsync("app = $app AND substr(id, 1, length($p)) = $p", cancellationToken, ("$app", app), ("$p", prefix));

    public Task<IReadOnlyList<Release>> ListAsync(string app, CancellationToken cancellationToken) =>
        QueryAsync("app = $app", cancellationToken, ("$app", app));

    private async Task<IReadOnlyList<Release>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, null, where, cancellationToken, args).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Release>> QueryAsync(SqliteConnection connection, SqliteTransaction? tx, string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {Columns} FROM releases WHERE {where} ORDER BY version";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        var list = new List<Release>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Release
            {
                App = reader.GetString(0),
                Version = reader.GetInt32(1),
                Id = reader.GetString(2),
                CanonicalJson = reader.GetString(3),
                GitCommit = reader.IsDBNull(4) ? null : reader.GetString(4),
                Dirty = reader.GetInt64(5) != 0,
                Author = reader.GetString(6),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                Message = reader.IsDBNull(8) ? null : reader.GetString(8),
            });
        }

        return list;
    }
}
