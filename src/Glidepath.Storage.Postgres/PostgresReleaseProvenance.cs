using Glidepath.Releases;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Reads and appends <c>release_provenance</c> rows inside the release store's transaction.</summary>
internal static class PostgresReleaseProvenance
{
    public static async Task<IReadOnlyList<ReleaseProvenance>> ListAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string app, string releaseId, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command("""
            SELECT sequence, git_commit, dirty, author, message, recorded_at FROM release_provenance
            WHERE app = @app AND release_id = @id ORDER BY sequence
            """, tx).With("app", app).With("id", releaseId);
        var list = new List<ReleaseProvenance>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ReleaseProvenance
            {
                ReleaseId = releaseId,
                Sequence = reader.GetInt32(0),
                GitCommit = reader.StringOrNull(1),
                Dirty = reader.GetBoolean(2),
                Author = reader.GetString(3),
                Message = reader.StringOrNull(4),
                RecordedAt = ParseAsGiven(reader.GetString(5)),
            });
        }

        return list;
    }

    /// <summary>Appends the next record; the caller holds the app's release lock, so MAX + 1 is not raced.</summary>
    public static async Task<ReleaseProvenance> AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string app, ReleaseProvenance record, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command("""
            INSERT INTO release_provenance (app, release_id, sequence, git_commit, dirty, author, message, recorded_at)
            VALUES (@app, @id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM release_provenance WHERE app = @app AND release_id = @id),
                    @commit, @dirty, @author, @message, @at)
            RETURNING sequence
            """, tx);
        cmd.With("app", app).With("id", record.ReleaseId).With("commit", record.GitCommit).With("dirty", record.Dirty)
            .With("author", record.Author).With("message", record.Message).With("at", AsGiven(record.RecordedAt));
        var sequence = (int)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        return record with { Sequence = sequence };
    }
}
