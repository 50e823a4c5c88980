using System.Text.Json;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Reads and writes <c>trace_aggregates</c> rows (per minute and subject group, migration 0009). The arithmetic is
/// the domain's: a batch is merged into the stored row with <see cref="TraceAggregateDelta.Add"/> and the merged
/// row is written back whole, inside the batch's write transaction; SQL only selects and stores.
/// </summary>
internal static class SqliteTraceAggregates
{
    private const string Sums = "count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, input_tokens, output_tokens, " +
        "cost_sum, cost_squares, latency_histogram, online_scored, online_passed, online_score_sum, online_score_squares";

    private const string Key = "app = $a AND environment = $e AND release_id = $r AND arm = $arm AND minute = $m AND grp = $g";

    /// <summary>
    /// Merges each of <paramref name="deltas"/> into its stored row (creating it), inside the caller's transaction; the
    /// two statements are prepared once for the batch and bound again per row.
    /// </summary>
    public static async Task AddAllAsync(SqliteConnection connection, SqliteTransaction tx, IEnumerable<TraceAggregateDelta> deltas, CancellationToken cancellationToken)
    {
        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = $"SELECT {Sums} FROM trace_aggregates WHERE {Key}";
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = $"""
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, {Sums})
            VALUES ($a, $e, $r, $arm, $m, $g, $count, $errors, $latn, $lat, $log, $log2, $in, $out, $cost, $cost2, $hist, $os, $op, $osum, $osq)
            ON CONFLICT (app, environment, release_id, arm, minute, grp) DO UPDATE SET
                count = excluded.count, errors = excluded.errors, latency_count = excluded.latency_count,
                latency_ms_sum = excluded.latency_ms_sum, log_latency_sum = excluded.log_latency_sum,
                log_latency_squares = excluded.log_latency_squares, input_tokens = excluded.input_tokens,
                output_tokens = excluded.output_tokens, cost_sum = excluded.cost_sum, cost_squares = excluded.cost_squares,
                latency_histogram = excluded.latency_histogram, online_scored = excluded.online_scored,
                online_passed = excluded.online_passed, online_score_sum = excluded.online_score_sum,
                online_score_squares = excluded.online_score_squares
            """;
        foreach (var delta in deltas)
        {
            var row = delta.EmptyCopy();
            read.Parameters.Clear();
            AddKey(read, delta);
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row.Add(ReadSums(reader, 0, delta.EmptyCopy()));
                }
            }

            row.Add(delta);
            upsert.Parameters.Clear();
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
            upsert.Parameters.AddWithValue("$hist", LatencyBuckets.ToSparseJson(row.LatencyHistogram));
            upsert.Parameters.AddWithValue("$os", row.OnlineScored);
            upsert.Parameters.AddWithValue("$op", row.OnlinePassed);
            upsert.Parameters.AddWithValue("$osum", row.OnlineScoreSum);
            upsert.Parameters.AddWithValue("$osq", row.OnlineScoreSquares);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds every row of the environment inside <paramref name="window"/> to <paramref name="builder"/>.</summary>
    public static async Task ReadAsync(SqliteConnection connection, string app, string environment, AggregateWindow window, ArmStatsBuilder builder, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT release_id, arm, grp, {Sums} FROM trace_aggregates WHERE app = $a AND environment = $e AND minute >= $since AND minute < $until";
        cmd.Parameters.AddWithValue("$a", app);
        cmd.Parameters.AddWithValue("$e", environment);
        AddWindow(cmd, window);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = new TraceAggregateDelta
            {
                App = app,
                Environment = environment,
                ReleaseId = reader.GetString(0),
                Arm = reader.GetString(1),
                Minute = default,
                Group = reader.GetInt32(2),
            };
            builder.Add(ReadSums(reader, 3, key));
        }
    }

    /// <summary>The window's bounds as <c>$since</c> and <c>$until</c> (minute text; "9999" sorts after every minute).</summary>
    public static void AddWindow(SqliteCommand cmd, AggregateWindow window)
    {
        cmd.Parameters.AddWithValue("$since", SqliteTraceStore.Iso(window.FromMinute));
        cmd.Parameters.AddWithValue("$until", window.UntilMinute is { } u ? SqliteTraceStore.Iso(u) : "9999");
    }

    private static TraceAggregateDelta ReadSums(SqliteDataReader reader, int i, TraceAggregateDelta into)
    {
        into.Count = reader.GetInt64(i);
        into.Errors = reader.GetInt64(i + 1);
        into.LatencyCount = reader.GetInt64(i + 2);
        into.LatencyMsSum = reader.GetDouble(i + 3);
        into.LogLatencySum = reader.GetDouble(i + 4);
        into.LogLatencySquares = reader.GetDouble(i + 5);
        into.InputTokens = reader.GetInt64(i + 6);
        into.OutputTokens = reader.GetInt64(i + 7);
        into.CostSum = reader.GetDouble(i + 8);
        into.CostSquares = reader.GetDouble(i + 9);
        LatencyBuckets.AddSparseJson(into.LatencyHistogram, reader.GetString(i + 10));
        into.OnlineScored = reader.GetInt64(i + 11);
        into.OnlinePassed = reader.GetInt64(i + 12);
        into.OnlineScoreSum = reader.GetDouble(i + 13);
        into.OnlineScoreSquares = reader.GetDouble(i + 14);
        return into;
    }

    private static void AddKey(SqliteCommand cmd, TraceAggregateDelta row)
    {
        cmd.Parameters.AddWithValue("$a", row.App);
        cmd.Parameters.AddWithValue("$e", row.Environment);
        cmd.Parameters.AddWithValue("$r", row.ReleaseId);
        cmd.Parameters.AddWithValue("$arm", row.Arm);
        cmd.Parameters.AddWithValue("$m", SqliteTraceStore.Iso(row.Minute));
        cmd.Parameters.AddWithValue("$g", row.Group);
    }
}
