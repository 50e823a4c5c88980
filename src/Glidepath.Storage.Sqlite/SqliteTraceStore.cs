using System.Globalization;
using System.Text.Json;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Traces, per-arm aggregates (per minute and subject group) and feedback in SQLite (migrations 0005, 0008, 0009).</summary>
internal sealed class SqliteTraceStore(SqliteDatabase database) : ITraceStore
{
    private const string Columns = "trace_id, app, environment, release_id, arm, subject_hash, started_at, api, stream, model, status, error, " +
        "latency_ms, ttft_ms, overhead_ms, input_tokens, output_tokens, cost_usd, finish_reason, input_json, output_text, online_score, online_passed, online_scores_json, subject_group, upstream_status, upstream_message";

    public async Task WriteBatchAsync(IReadOnlyList<TraceRecord> traces, CancellationToken cancellationToken)
    {
        if (traces.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var fresh = new List<TraceRecord>(traces.Count);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"INSERT OR IGNORE INTO traces ({Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17, $p18, $p19, $p20, $p21, $p22, $p23, $p24, $p25, $p26)";
            var p = new SqliteParameter[27];
            for (var i = 0; i < p.Length; i++)
            {
                p[i] = insert.Parameters.Add($"$p{i}", SqliteType.Text);
            }

            foreach (var t in traces)
            {
                object?[] values = [t.TraceId, t.App, t.Environment, t.ReleaseId, t.Arm, t.SubjectHash, Iso(t.StartedAt), t.Api, t.Stream ? 1 : 0, t.Model,
                    t.Status, t.Error, t.LatencyMs, t.TimeToFirstTokenMs, t.OverheadMs, t.InputTokens, t.OutputTokens, t.CostUsd, t.FinishReason, t.InputJson, t.OutputText,
                    t.OnlineScore, t.OnlinePassed is { } passed ? (passed ? 1 : 0) : null, t.OnlineScoresJson, SubjectGroups.Of(t.SubjectHash, t.TraceId), t.UpstreamStatus, t.UpstreamMessage];
                for (var i = 0; i < p.Length; i++)
                {
                    p[i].Value = values[i] ?? DBNull.Value;
                }

                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    fresh.Add(t);
                }
            }
        }

        foreach (var row in TraceAggregator.Aggregate(fresh))
        {
            await AddAggregateAsync(connection, tx, row, cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task AddAggregateAsync(SqliteConnection connection, SqliteTransaction tx, TraceAggregateDelta row, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT latency_histogram FROM trace_aggregates WHERE app = $a AND environment = $e AND release_id = $r AND arm = $arm AND minute = $m AND grp = $g";
        AddKey(read, row);
        var existing = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        var histogram = row.LatencyHistogram.ToArray();
        if (existing is not null)
        {
            AddHistogram(histogram, existing);
        }

        await using var upsert = connection.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = """
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares,
                                          input_tokens, output_tokens, cost_sum, cost_squares, latency_histogram,
                                          online_scored, online_passed, online_score_sum, online_score_squares)
            VALUES ($a, $e, $r, $arm, $m, $g, $count, $errors, $latn, $lat, $log, $log2, $in, $out, $cost, $cost2, $hist, $os, $op, $osum, $osq)
            ON CONFLICT (app, environment, release_id, arm, minute, grp) DO UPDATE SET
                count = count + excluded.count, errors = errors + excluded.errors, latency_count = latency_count + excluded.latency_count,
                latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
                log_latency_sum = log_latency_sum + excluded.log_latency_sum,
                log_latency_squares = log_latency_squares + excluded.log_latency_squares,
                input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
                cost_sum = cost_sum + excluded.cost_sum, cost_squares = cost_squares + excluded.cost_squares,
                latency_histogram = excluded.latency_histogram,
                online_scored = online_scored + excluded.online_scored, online_passed = online_passed + excluded.online_passed,
                online_score_sum = online_score_sum + excluded.online_score_sum,
                online_score_squares = online_score_squares + excluded.online_score_squares
            """;
        AddKey(upsert, row);
        upsert.Parameters.AddWithValue("$count", row.Count);
        upsert.Parameters.AddWithValue("$errors", row.Errors);
        upsert.Parameters.AddWithValue("$latn", row.LatencyCount);
        upsert.Parameters.AddWithValue("$lat", row.LatencyMsSum);
        upsert.Parameters.AddWithValue("$log", row.LogLatencySum);
        upsert.Parameters.AddWithValue("$log2", row.LogLatencySquares);
        upsert.Parameters.AddWithValue("$in", row.InputTokens);
        upsert.Parameters.AddWithValue("$out", row.OutputTokens);
        upsert.Parameters.AddWithValue("$cost", row.CostSum);
        upsert.Parameters.AddWithValue("$cost2", row.CostSquares);
        upsert.Parameters.AddWithValue("$hist", SparseHistogram(histogram));
        upsert.Parameters.AddWithValue("$os", row.OnlineScored);
        upsert.Parameters.AddWithValue("$op", row.OnlinePassed);
        upsert.Parameters.AddWithValue("$osum", row.OnlineScoreSum);
        upsert.Parameters.AddWithValue("$osq", row.OnlineScoreSquares);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Nonzero buckets only, as {"bucket": count}: most of a group's minute has a handful of buckets.</summary>
    private static string SparseHistogram(long[] histogram)
    {
        var sparse = new SortedDictionary<int, long>();
        for (var i = 0; i < histogram.Length; i++)
        {
            if (histogram[i] != 0)
            {
                sparse[i] = histogram[i];
            }
        }

        return JsonSerializer.Serialize(sparse);
    }

    private static void AddHistogram(long[] into, string json)
    {
        var sparse = JsonSerializer.Deserialize<Dictionary<int, long>>(json) ?? [];
        foreach (var (i, count) in sparse)
        {
            if (i >= 0 && i < into.Length)
            {
                into[i] += count;
            }
        }
    }

    private static void AddKey(SqliteCommand cmd, TraceAggregateDelta row)
    {
        cmd.Parameters.AddWithValue("$a", row.App);
        cmd.Parameters.AddWithValue("$e", row.Environment);
        cmd.Parameters.AddWithValue("$r", row.ReleaseId);
        cmd.Parameters.AddWithValue("$arm", row.Arm);
        cmd.Parameters.AddWithValue("$m", Iso(row.Minute));
        cmd.Parameters.AddWithValue("$g", row.Group);
    }

    public async Task<TraceRecord?> GetAsync(string traceId, CancellationToken cancellationToken) =>
        (await QueryAsync("trace_id = $id", "", 1, cancellationToken, ("$id", traceId)).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { "app = $app" };
        var args = new List<(string, object)> { ("$app", query.App) };
        void Add(string clause, string name, object? value)
        {
            if (value is not null)
            {
                where.Add(clause);
                args.Add((name, value));
            }
        }

        Add("environment = $env", "$env", query.Environment);
        Add("release_id = $rel", "$rel", query.ReleaseId);
        Add("arm = $arm", "$arm", query.Arm);
        Add("started_at >= $since", "$since", query.Since is { } s ? Iso(s) : null);
        Add("started_at < $until", "$until", query.Until is { } u ? Iso(u) : null);
        // A range on the primary key rather than LIKE, so a prefix lookup uses the index: ids are lower-case hex, below 'g'.
        Add("trace_id >= $prefix", "$prefix", query.IdPrefix);
        Add("trace_id < $prefixEnd", "$prefixEnd", query.IdPrefix is { } p ? p + "g" : null);
        var wrong = new List<string>();
        if (query.ErrorsOnly)
        {
            wrong.Add("status >= 500 OR status IN (408, 429) OR error = 'provider_rejected'"); // TraceRecord.IsError
        }

        if (query.OnlineFailedOnly)
        {
            wrong.Add("online_passed = 0");
        }

        if (query.NegativeFeedbackOnly)
        {
            // The same threshold as the feedback metric's positive count (score >= 0.5).
            wrong.Add("EXISTS (SELECT 1 FROM trace_feedback f WHERE f.trace_id = traces.trace_id AND f.score < 0.5)");
        }

        if (wrong.Count > 0)
        {
            where.Add("(" + string.Join(" OR ", wrong) + ")");
        }

        return QueryAsync(string.Join(" AND ", where), "ORDER BY started_at DESC, trace_id", query.Limit, cancellationToken, [.. args]);
    }

    public async Task<bool> AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO trace_feedback (trace_id, score, comment, created_at)
            SELECT $id, $score, $comment, $at WHERE EXISTS (SELECT 1 FROM traces WHERE trace_id = $id)
            """;
        cmd.Parameters.AddWithValue("$id", feedback.TraceId);
        cmd.Parameters.AddWithValue("$score", feedback.Score);
        cmd.Parameters.AddWithValue("$comment", (object?)feedback.Comment ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$at", Iso(feedback.Time));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT trace_id, score, comment, created_at FROM trace_feedback WHERE trace_id = $id ORDER BY id";
        cmd.Parameters.AddWithValue("$id", traceId);
        var list = new List<FeedbackRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new FeedbackRecord(reader.GetString(0), reader.GetDouble(1), reader.IsDBNull(2) ? null : reader.GetString(2), Parse(reader.GetString(3))));
        }

        return list;
    }

    public async Task<IReadOnlyList<ArmStats>> ArmStatsAsync(string app, string environment, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Aggregates are kept per minute, so both ends are floored to the minute: [since, until) windows that meet at
        // an instant meet at the same minute and never count a minute twice (a window inside one minute is empty).
        var sinceMinute = Iso(FloorToMinute(since));
        var untilText = until is { } u ? Iso(FloorToMinute(u)) : "9999";
        var builder = new ArmStatsBuilder();
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT release_id, arm, grp, count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, input_tokens, output_tokens,
                       cost_sum, cost_squares, latency_histogram, online_scored, online_passed, online_score_sum, online_score_squares
                FROM trace_aggregates WHERE app = $a AND environment = $e AND minute >= $since AND minute < $until
                """;
            cmd.Parameters.AddWithValue("$a", app);
            cmd.Parameters.AddWithValue("$e", environment);
            cmd.Parameters.AddWithValue("$since", sinceMinute);
            cmd.Parameters.AddWithValue("$until", untilText);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new TraceAggregateDelta
                {
                    App = app,
                    Environment = environment,
                    ReleaseId = reader.GetString(0),
                    Arm = reader.GetString(1),
                    Minute = default,
                    Group = reader.GetInt32(2),
                    Count = reader.GetInt64(3),
                    Errors = reader.GetInt64(4),
                    LatencyCount = reader.GetInt64(5),
                    LatencyMsSum = reader.GetDouble(6),
                    LogLatencySum = reader.GetDouble(7),
                    LogLatencySquares = reader.GetDouble(8),
                    InputTokens = reader.GetInt64(9),
                    OutputTokens = reader.GetInt64(10),
                    CostSum = reader.GetDouble(11),
                    CostSquares = reader.GetDouble(12),
                    OnlineScored = reader.GetInt64(14),
                    OnlinePassed = reader.GetInt64(15),
                    OnlineScoreSum = reader.GetDouble(16),
                    OnlineScoreSquares = reader.GetDouble(17),
                };
                AddHistogram(row.LatencyHistogram, reader.GetString(13));
                builder.Add(row);
            }
        }

        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                SELECT t.release_id, t.arm, t.subject_group, COUNT(*), SUM(f.score), SUM(CASE WHEN f.score >= 0.5 THEN 1 ELSE 0 END)
                FROM trace_feedback f JOIN traces t ON t.trace_id = f.trace_id
                WHERE t.app = $a AND t.environment = $e AND t.started_at >= $since AND t.started_at < $until
                GROUP BY t.release_id, t.arm, t.subject_group
                """;
            cmd.Parameters.AddWithValue("$a", app);
            cmd.Parameters.AddWithValue("$e", environment);
            cmd.Parameters.AddWithValue("$since", sinceMinute);
            cmd.Parameters.AddWithValue("$until", untilText);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                builder.AddFeedback(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetDouble(4), reader.GetInt64(5));
            }
        }

        return builder.Build();
    }

    private async Task<IReadOnlyList<TraceRecord>> QueryAsync(string where, string order, int limit, CancellationToken cancellationToken, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM traces WHERE {where} {order} LIMIT $limit";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        cmd.Parameters.AddWithValue("$limit", Math.Max(1, limit));
        var list = new List<TraceRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new TraceRecord
            {
                TraceId = r.GetString(0),
                App = r.GetString(1),
                Environment = r.GetString(2),
                ReleaseId = r.GetString(3),
                Arm = r.GetString(4),
                SubjectHash = r.IsDBNull(5) ? null : r.GetString(5),
                StartedAt = Parse(r.GetString(6)),
                Api = r.GetString(7),
                Stream = r.GetInt64(8) != 0,
                Model = r.IsDBNull(9) ? null : r.GetString(9),
                Status = r.GetInt32(10),
                Error = r.IsDBNull(11) ? null : r.GetString(11),
                LatencyMs = r.GetDouble(12),
                TimeToFirstTokenMs = r.IsDBNull(13) ? null : r.GetDouble(13),
                OverheadMs = r.GetDouble(14),
                InputTokens = r.GetInt64(15),
                OutputTokens = r.GetInt64(16),
                CostUsd = r.GetDouble(17),
                FinishReason = r.IsDBNull(18) ? null : r.GetString(18),
                InputJson = r.IsDBNull(19) ? null : r.GetString(19),
                OutputText = r.IsDBNull(20) ? null : r.GetString(20),
                OnlineScore = r.IsDBNull(21) ? null : r.GetDouble(21),
                OnlinePassed = r.IsDBNull(22) ? null : r.GetInt64(22) != 0,
                OnlineScoresJson = r.IsDBNull(23) ? null : r.GetString(23),
                UpstreamStatus = r.IsDBNull(25) ? null : r.GetInt32(25),
                UpstreamMessage = r.IsDBNull(26) ? null : r.GetString(26),
            });
        }

        return list;
    }

    private static DateTimeOffset FloorToMinute(DateTimeOffset t)
    {
        var ticks = t.UtcDateTime.Ticks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
