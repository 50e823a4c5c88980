using Glidepath.Storage.Sql;
using System.Globalization;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Traces, per-arm aggregates (per minute and subject group) and feedback in SQLite (migrations 0005, 0008, 0009).</summary>
internal sealed class SqliteTraceStore(SqliteDatabase database) : ITraceStore
{
    public async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        if (traces.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var fresh = new List<TraceRecord>(traces.Count);
        using (var insert = new SqliteTraceInsert(connection))
        {
            foreach (var t in traces)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (insert.Insert(t))
                {
                    fresh.Add(t);
                }
            }
        }

        await SqliteTraceAggregates.AddAllAsync(connection, tx, TraceAggregator.Aggregate(fresh), cancellationToken).ConfigureAwait(false);

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            CREATE TEMP TABLE IF NOT EXISTS retention_batch (trace_id TEXT PRIMARY KEY);
            DELETE FROM retention_batch;
            INSERT INTO retention_batch SELECT trace_id FROM traces WHERE app = $app AND started_at < $before ORDER BY started_at, trace_id LIMIT $limit;
            DELETE FROM trace_feedback WHERE trace_id IN (SELECT trace_id FROM retention_batch);
            DELETE FROM traces WHERE trace_id IN (SELECT trace_id FROM retention_batch);
            """;
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$before", Iso(before));
        cmd.Parameters.AddWithValue("$limit", limit);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        cmd.CommandText = "SELECT changes()";
        var deleted = Convert.ToInt32(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>The file is on this machine, so the store has no clock other than the caller's: <see cref="TraceClock.StoreNow"/> is null.</summary>
    public async Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT max(started_at) FROM traces WHERE app = $app";
        cmd.Parameters.AddWithValue("$app", app);
        var newest = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return new TraceClock(null, newest is string text ? TraceRows.ParseIso(text) : null);
    }

    public async Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) =>
        (await QueryAsync("trace_id = $id", "", 1, cancellationToken, ("id", traceId)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        var (where, args) = TraceRows.Where(query, '$', "0");
        return QueryAsync(where, "ORDER BY started_at DESC, trace_id", query.Limit, cancellationToken, [.. args]);
    }

    public async Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO trace_feedback (trace_id, score, comment, created_at, key_id)
            SELECT $id, $score, $comment, $at, $key WHERE EXISTS (SELECT 1 FROM traces WHERE trace_id = $id AND ($env IS NULL OR environment = $env) AND (key_id IS NULL OR key_id = $key))
            """;
        cmd.Parameters.AddWithValue("$id", feedback.TraceId);
        cmd.Parameters.AddWithValue("$score", feedback.Score);
        cmd.Parameters.AddWithValue("$comment", (object?)feedback.Comment ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Iso(feedback.Time));
        cmd.Parameters.AddWithValue("$key", (object?)feedback.KeyId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$env", (object?)feedback.Environment ?? DBNull.Value);
        var stored = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (stored)
        {
            // One vote per trace (FeedbackRecord): the row just written replaces the earlier ones.
            cmd.CommandText = "DELETE FROM trace_feedback WHERE trace_id = $id AND id <> last_insert_rowid()";
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    public async Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT key_id, SUM(cost_usd) FROM traces WHERE app = $app AND key_id IS NOT NULL AND started_at >= $since AND environment = $env GROUP BY key_id";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        cmd.Parameters.AddWithValue("$since", Iso(since));
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            sums[r.GetString(0)] = r.GetDouble(1);
        }

        return sums;
    }

    public async Task<IReadOnlyList<KeySubjectErrors>> ErrorsByKeyAsync(string app, string environment, string releaseId, string arm, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = TraceRows.ErrorsByKeySql('$');
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        cmd.Parameters.AddWithValue("$release", releaseId);
        cmd.Parameters.AddWithValue("$arm", arm);
        cmd.Parameters.AddWithValue("$since", Iso(since));
        var rows = new List<KeySubjectErrors>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new KeySubjectErrors(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT trace_id, score, comment, created_at, key_id FROM trace_feedback WHERE trace_id = $id ORDER BY id";
        cmd.Parameters.AddWithValue("$id", traceId);
        var list = new List<FeedbackRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new FeedbackRecord(reader.GetString(0), reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetString(2), TraceRows.ParseIso(reader.GetString(3))) { KeyId = reader.IsDBNull(4) ? null : reader.GetString(4) });
        }

        return list;
    }

    public async Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var window = AggregateWindow.Of(since, until);
        var builder = new ArmStatsBuilder();
        await SqliteTraceAggregates.ReadAsync(connection, app, environment, window, builder, cancellationToken).ConfigureAwait(false);

        // Feedback rows, not sums: whether a score counts as positive is the domain's rule (FeedbackScore), applied by the builder.
        // The latest vote of each trace only: a store written before one vote per trace was kept may hold floods.
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT t.release_id, t.arm, t.subject_group, f.score
                FROM trace_feedback f JOIN traces t ON t.trace_id = f.trace_id
                WHERE t.app = $a AND t.environment = $e AND t.started_at >= $since AND t.started_at < $until
                  AND f.id = (SELECT MAX(l.id) FROM trace_feedback l WHERE l.trace_id = f.trace_id)
                """;
            cmd.Parameters.AddWithValue("$a", app);
            cmd.Parameters.AddWithValue("$e", environment);
            SqliteTraceAggregates.AddWindow(cmd, window);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                builder.AddFeedback(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3));
            }
        }

        return builder.Build();
    }

    private async Task<IReadOnlyList<TraceRecord>> QueryAsync(string where, string order, int limit, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {TraceRows.Columns} FROM traces WHERE {where} {order} LIMIT $limit";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue("$" + name, value);
        }

        cmd.Parameters.AddWithValue("$limit", Math.Max(1, limit));
        var list = new List<TraceRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(TraceRows.Read(r));
        }

        return list;
    }

    internal static string Iso(DateTimeOffset t) => TraceRows.Iso(t);

}
