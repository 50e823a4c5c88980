using Glidepath.Releases;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Releases, numbered per app under the app's lock, so concurrent registrations get gapless numbers and one release per id.</summary>
internal sealed class PostgresReleaseStore(PostgresDatabase database) : IReleaseStore
{
    private const string Columns = "app, version, id, canonical_json, git_commit, dirty, author, created_at, message";

    public async Task<ReleaseRegistration> RegisterAsync(ReleaseDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await database.LockAsync(connection, tx, cancellationToken, "releases", draft.App).ConfigureAwait(false);
        var existing = await QueryAsync(connection, tx, "app = @app AND id = @id", cancellationToken, ("app", draft.App), ("id", draft.Id)).ConfigureAwait(false);
        var provenance = ReleaseProvenance.From(draft);
        if (existing.Count > 0)
        {
            var known = await PostgresReleaseProvenance.ListAsync(connection, tx, draft.App, draft.Id, cancellationToken).ConfigureAwait(false);
            if (known.Any(provenance.SameOrigin))
            {
                return new(existing[0], false, null);
            }

            var appended = await PostgresReleaseProvenance.AppendAsync(connection, tx, draft.App, provenance, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new(existing[0], false, appended);
        }

        int version;
        await using (var insert = connection.Command($"""
            INSERT INTO releases ({Columns})
            VALUES (@app, (SELECT COALESCE(MAX(version), 0) + 1 FROM releases WHERE app = @app), @id, @json, @commit, @dirty, @author, @at, @message)
            RETURNING version
            """, tx))
        {
            insert.With("app", draft.App).With("id", draft.Id).With("json", draft.CanonicalJson).With("commit", draft.GitCommit)
                .With("dirty", draft.Dirty).With("author", draft.Author).With("at", AsGiven(draft.CreatedAt)).With("message", draft.Message);
            version = (int)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var first = await PostgresReleaseProvenance.AppendAsync(connection, tx, draft.App, provenance, cancellationToken).ConfigureAwait(false);
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
        return await PostgresReleaseProvenance.ListAsync(connection, null, app, releaseId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Release?> GetByVersionAsync(string app, int version, CancellationToken cancellationToken) =>
        (await QueryAsync("app = @app AND version = @v", cancellationToken, ("app", app), ("v", version)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<Release?> GetByIdAsync(string app, string id, CancellationToken cancellationToken) =>
        (await QueryAsync("app = @app AND id = @id", cancellationToken, ("app", app), ("id", id)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Release>> FindByIdPrefixAsync(string app, string prefix, CancellationToken cancellationToken) =>
        QueryAsync("app = @app AND left(id, length(@p)) = @p", cancellationToken, ("app", app), ("p", prefix));

    public Task<IReadOnlyList<Release>> ListAsync(string app, CancellationToken cancellationToken) =>
        QueryAsync("app = @app", cancellationToken, ("app", app));

    private async Task<IReadOnlyList<Release>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, null, where, cancellationToken, args).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Release>> QueryAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string where, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var cmd = connection.Command($"SELECT {Columns} FROM releases WHERE {where} ORDER BY version", tx);
        foreach (var (name, value) in args)
        {
            cmd.With(name, value);
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
                GitCommit = reader.StringOrNull(4),
                Dirty = reader.GetBoolean(5),
                Author = reader.GetString(6),
                CreatedAt = ParseAsGiven(reader.GetString(7)),
                Message = reader.StringOrNull(8),
            });
        }

        return list;
    }
}
