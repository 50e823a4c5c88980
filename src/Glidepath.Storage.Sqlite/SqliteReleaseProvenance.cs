using System.Globalization;
using Glidepath.Releases;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Reads and appends <c>release_provenance</c> rows inside the release store's transaction.</summary>
internal static class SqliteReleaseProvenance
{
    public static async Task<IReadOnlyList<ReleaseProvenance>> ListAsync(SqliteConnection connection, SqliteTransaction? tx, string app, string releaseId, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT sequence, git_commit, dirty, author, message, recorded_at FROM release_provenance
            WHERE app = $app AND release_id = $id ORDER BY sequence
            """;
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$id", releaseId);
        var list = new List<ReleaseProvenance>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ReleaseProvenance
            {
                ReleaseId = releaseId,
                Sequence = reader.GetInt32(0),
                GitCommit = reader.IsDBNull(1) ? null : reader.GetString(1),
                Dirty = reader.GetInt64(2) != 0,
                Author = reader.GetString(3),
                Message = reader.IsDBNull(4) ? null : reader.GetString(4),
                RecordedAt = DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture),
            });
        }

        return list;
    }

    public static async Task<ReleaseProvenance> AppendAsync(SqliteConnection connection, SqliteTransaction tx, string app, ReleaseProvenance record, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO release_provenance (app, release_id, sequence, git_commit, dirty, author, message, recorded_at)
            VALUES ($app, $id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM release_provenance WHERE app = $app AND release_id = $id),
                    $commit, $dirty, $author, $message, $at)
            RETURNING sequence
            """;
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$id", record.ReleaseId);
        cmd.Parameters.AddWithValue("$commit", (object?)record.GitCommit ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$dirty", record.Dirty ? 1 : 0);
        cmd.Parameters.AddWithValue("$author", record.Author);
        cmd.Parameters.AddWithValue("$message", (object?)record.Message ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", record.RecordedAt.ToString("O", CultureInfo.InvariantCulture));
        var sequence = Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        return record with { Sequence = sequence };
    }
}
