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
        "cost_sum, cost_squares, latency_histogram, online_scored, online_passed, online_score_sum, online_score_squares, provider_calls, retried_calls, " +
        "first_token_count, log_first_token_sum, log_first_token_squares, one_arm_errors, cancelled";

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
            VALUES ($a, $e, $r, $arm, $m, $g, $count, $errors, $latn, $lat, $log, $log2, $in, $out, $cost, $cost2, $hist, $os, $op, $osum, $osq, $calls, $retried, $ftn, $ftlog, $ftlog2, $onearm, $cancelled)
            ON CONFLICT (app, environment, release_id, arm, minute, grp) DO UPDATE SET
                count = excluded.count, errors = excluded.errors, latency_count = excluded.latency_count,
                latency_ms_sum = excluded.latency_ms_sum, log_latency_sum = excluded.log_latency_sum,
                log_latency_squares = excluded.log_latency_squares, input_tokens = excluded.input_tokens,
                output_tokens = excluded.output_tokens, cost_sum = excluded.cost_sum, cost_squares = excluded.cost_squares,
                latency_histogram = excluded.latency_histogram, online_scored = excluded.online_scored,
                online_passed = excluded.online_passed, online_score_sum = excluded.online_score_sum,
                online_score_squares = excluded.online_score_squares, provider_calls = excluded.provider_calls,
                retried_calls = excluded.retried_calls, first_token_count = excluded.first_token_count,
                log_first_token_sum = excluded.log_first_token_sum, log_first_token_squares = excluded.log_first_token_squares,
                one_arm_errors = excluded.one_arm_errors, cancelled = excluded.cancelled
            """;
        var readKey = KeyParameters(read);
        var upsertKey = KeyParameters(upsert);
        var sums = new SqliteParameter[SumNames.Length];
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = upsert.Parameters.Add(SumNames[i], SumTypes[i]);
        }

        foreach (var delta in deltas)
        {
            var row = delta.EmptyCopy();
            SetKey(readKey, delta);
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    ReadSums(reader, 0, row); // the stored row, into the empty one
                }
            }

            row.Add(delta);
            SetKey(upsertKey, row);
            sums[0].Value = row.Count;
            sums[1].Value = row.Errors;
            sums[2].Value = row.LatencyCount;
            sums[3].Value = row.LatencyMsSum;
            sums[4].Value = row.LogLatencySum;
            sums[5].Value = row.LogLatencySquares;
            sums[6].Value = row.InputTokens;
            sums[7].Value = row.OutputTokens;
            sums[8].Value = row.CostSum;
            sums[9].Value = row.CostSquares;
            sums[10].Value = LatencyBuckets.ToSparseJson(row.LatencyHistogram);
            sums[11].Value = row.OnlineScored;
            sums[12].Value = row.OnlinePassed;
            sums[13].Value = row.OnlineScoreSum;
            sums[14].Value = row.OnlineScoreSquares;
            sums[15].Value = row.ProviderCalls;
            sums[16].Value = row.RetriedCalls;
            sums[17].Value = row.FirstTokenCount;
            sums[18].Value = row.LogFirstTokenSum;
            sums[19].Value = row.LogFirstTokenSquares;
            sums[20].Value = row.OneArmErrors;
            sums[21].Value = row.Cancelled;
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The upsert's value parameters, in <see cref="Sums"/>' order, with the types their columns hold.</summary>
    private static readonly string[] SumNames = ["$count", "$errors", "$latn", "$lat", "$log", "$log2", "$in", "$out", "$cost", "$cost2", "$hist", "$os", "$op", "$osum", "$osq", "$calls", "$retried", "$ftn", "$ftlog", "$ftlog2", "$onearm", "$cancelled"];

    private static readonly SqliteType[] SumTypes =
    [
        SqliteType.Integer, SqliteType.Integer, SqliteType.Integer, SqliteType.Real, SqliteType.Real, SqliteType.Real, SqliteType.Integer,
        SqliteType.Integer, SqliteType.Real, SqliteType.Real, SqliteType.Text, SqliteType.Integer, SqliteType.Integer, SqliteType.Real, SqliteType.Real,
        SqliteType.Integer, SqliteType.Integer, SqliteType.Integer, SqliteType.Real, SqliteType.Real, SqliteType.Integer, SqliteType.Integer,
    ];

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
        into.ProviderCalls = reader.GetInt64(i + 15);
        into.RetriedCalls = reader.GetInt64(i + 16);
        into.FirstTokenCount = reader.GetInt64(i + 17);
        into.LogFirstTokenSum = reader.GetDouble(i + 18);
        into.LogFirstTokenSquares = reader.GetDouble(i + 19);
        into.OneArmErrors = reader.GetInt64(i + 20);
        into.Cancelled = reader.GetInt64(i + 21);
        return into;
    }

    /// <summary>The row key's parameters, added once to a command prepared for a batch and set again per row (<see cref="SetKey"/>).</summary>
    private static SqliteParameter[] KeyParameters(SqliteCommand cmd) =>
    [
        cmd.Parameters.Add("$a", SqliteType.Text),
        cmd.Parameters.Add("$e", SqliteType.Text),
        cmd.Parameters.Add("$r", SqliteType.Text),
        cmd.Parameters.Add("$arm", SqliteType.Text),
        cmd.Parameters.Add("$m", SqliteType.Text),
        cmd.Parameters.Add("$g", SqliteType.Integer),
    ];

    private static void SetKey(SqliteParameter[] key, TraceAggregateDelta row)
    {
        key[0].Value = row.App;
        key[1].Value = row.Environment;
        key[2].Value = row.ReleaseId;
        key[3].Value = row.Arm;
        key[4].Value = SqliteTraceStore.Iso(row.Minute);
        key[5].Value = row.Group;
    }
}
