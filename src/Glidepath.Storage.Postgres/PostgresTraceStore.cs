using Glidepath.Storage.Sql;
using Glidepath.Traces;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Traces, per-arm aggregates (per minute and subject group) and feedback (migration 0004).</summary>
internal sealed class PostgresTraceStore(PostgresDatabase database) : ITraceStore
{
    /// <summary>
    /// Writes the batch with binary COPY into a temporary table, then moves it into <c>traces</c> with
    /// <c>ON CONFLICT DO NOTHING</c> (a trace id seen again, in the store or earlier in the batch, is ignored), and merges
    /// the aggregates of the new ones, in one transaction. Rows go in id order and aggregate rows are locked in key order,
    /// so two batches that share traces or aggregate rows queue behind each other instead of deadlocking.
    /// </summary>
    public async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var temp = connection.Command("CREATE TEMP TABLE trace_batch (LIKE traces INCLUDING DEFAULTS, ord integer NOT NULL) ON COMMIT DROP", tx))
        {
            await temp.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await PostgresTraceCopy.WriteAsync(connection, traces, cancellationToken).ConfigureAwait(false);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var move = connection.Command($"""
            INSERT INTO traces ({TraceRows.Columns})
            SELECT {TraceRows.Columns} FROM (SELECT DISTINCT ON (trace_id) * FROM trace_batch ORDER BY trace_id, ord) AS first
            ORDER BY trace_id
            ON CONFLICT (trace_id) DO NOTHING
            RETURNING trace_id
            """, tx))
        await using (var reader = await move.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        // The new traces in the caller's order (first occurrence of an id only), so sums add up in the order given.
        var fresh = traces.Where(t => inserted.Remove(t.TraceId)).ToList();
        var rows = TraceAggregator.Aggregate(fresh).Select(row => (Key: PostgresTraceAggregates.LockKey(database, row), Row: row))
            .OrderBy(x => x.Key, StringComparer.Ordinal);
        foreach (var (key, row) in rows)
        {
            await PostgresTraceAggregates.AddAsync(connection, tx, key, row, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteBeforeAsync(string app, DateTimeOffset before, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        // SKIP LOCKED: two gateways pruning at once take different rows instead of waiting for each other.
        var ids = new List<string>();
        await using (var pick = connection.Command("SELECT trace_id FROM traces WHERE app = @app AND started_at < @before ORDER BY started_at, trace_id LIMIT @limit FOR UPDATE SKIP LOCKED", tx)
            .With("app", app).With("before", Iso(before)).With("limit", limit))
        await using (var reader = await pick.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(reader.GetString(0));
            }
        }

        if (ids.Count > 0)
        {
            await using (var feedback = connection.Command("DELETE FROM trace_feedback WHERE trace_id = ANY(@ids)", tx).With("ids", ids.ToArray()))
            {
                await feedback.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var delete = connection.Command("DELETE FROM traces WHERE trace_id = ANY(@ids)", tx).With("ids", ids.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids.Count;
    }

    /// <summary>The server's clock, so gateways whose clocks disagree cut traces off at one time.</summary>
    public async Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT now(), (SELECT max(started_at) FROM traces WHERE app = @app)").With("app", app);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = reader.GetFieldValue<DateTimeOffset>(0);
        return new TraceClock(now, reader.IsDBNull(1) ? null : ParseIso(reader.GetString(1)));
    }

    public async Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) =>
        (await QueryAsync("trace_id = @id", "", 1, cancellationToken, ("id", traceId)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        var (where, args) = TraceRows.Where(query, '@', "false");
        return QueryAsync(where, "ORDER BY started_at DESC, trace_id", query.Limit, cancellationToken, [.. args]);
    }

    public async Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        // One vote per trace (FeedbackRecord): votes on one trace queue here, so the last one written is the one kept.
        await database.LockAsync(connection, tx, cancellationToken, "feedback", feedback.TraceId).ConfigureAwait(false);

        long? id;
        await using (var cmd = connection.Command("""
            INSERT INTO trace_feedback (trace_id, score, comment, created_at, key_id)
            SELECT @id, @score, @comment, @at, @key WHERE EXISTS (SELECT 1 FROM traces WHERE trace_id = @id AND (@env::text IS NULL OR environment = @env::text) AND (key_id IS NULL OR key_id = @key::text))
            RETURNING id
            """, tx))
        {
            cmd.With("id", feedback.TraceId).With("score", feedback.Score).With("comment", feedback.Comment).With("at", Iso(feedback.Time)).With("key", feedback.KeyId);
            cmd.Parameters.Add(new NpgsqlParameter("env", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)feedback.Environment ?? DBNull.Value });
            id = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long l ? l : null;
        }

        if (id is { } stored)
        {
            // The row just written replaces the earlier ones.
            await using var delete = connection.Command("DELETE FROM trace_feedback WHERE trace_id = @id AND id <> @new", tx)
                .With("id", feedback.TraceId).With("new", stored);
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id is not null;
    }

    public async Task<IReadOnlyDictionary<string, double>> CostByKeyAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT key_id, SUM(cost_usd) FROM traces WHERE app = @app AND key_id IS NOT NULL AND started_at >= @since AND environment = @env GROUP BY key_id")
            .With("app", app).With("env", environment).With("since", Iso(since));
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
        await using var cmd = connection.Command(TraceRows.ErrorsByKeySql('@'))
            .With("app", app).With("env", environment).With("release", releaseId).With("arm", arm).With("since", Iso(since));
        var rows = new List<KeySubjectErrors>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new KeySubjectErrors(r.GetString(0), r.StringOrNull(1), r.GetInt64(2), r.GetInt64(3)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT trace_id, score, comment, created_at, key_id FROM trace_feedback WHERE trace_id = @id ORDER BY id").With("id", traceId);
        var list = new List<FeedbackRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new FeedbackRecord(reader.GetString(0), reader.GetDouble(1), reader.StringOrNull(2), ParseIso(reader.GetString(3))) { KeyId = reader.StringOrNull(4) });
        }

        return list;
    }

    public async Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var window = AggregateWindow.Of(since, until);
        var builder = new ArmStatsBuilder();
        await PostgresTraceAggregates.ReadAsync(connection, app, environment, window, builder, cancellationToken).ConfigureAwait(false);

        // Feedback rows, not sums: whether a score counts as positive is the domain's rule (FeedbackScore), applied by the builder.
        // The latest vote of each trace only: a store written before one vote per trace was kept may hold floods.
        await using (var cmd = connection.Command("""
            SELECT t.release_id, t.arm, t.subject_group, f.score
            FROM trace_feedback f JOIN traces t ON t.trace_id = f.trace_id
            WHERE t.app = @a AND t.environment = @e AND t.started_at >= @since AND t.started_at < @until
              AND f.id = (SELECT MAX(l.id) FROM trace_feedback l WHERE l.trace_id = f.trace_id)
            """))
        {
            cmd.With("a", app).With("e", environment);
            PostgresTraceAggregates.AddWindow(cmd, window);
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
        await using var cmd = connection.Command($"SELECT {TraceRows.Columns} FROM traces WHERE {where} {order} LIMIT @limit");
        foreach (var (name, value) in args)
        {
            cmd.With(name, value);
        }

        cmd.With("limit", Math.Max(1, limit));
        var list = new List<TraceRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(TraceRows.Read(r));
        }

        return list;
    }
}
