using System.Text.Json;
using Glidepath.Traces;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Reads and writes <c>trace_aggregates</c> rows (per minute and subject group). The arithmetic is the domain's: a
/// batch is merged into the stored row with <see cref="TraceAggregateDelta.Add"/> and the merged row is written back
/// whole, under the row's advisory lock inside the batch's transaction; SQL only selects and stores.
/// </summary>
internal static class PostgresTraceAggregates
{
    private const string Sums = "count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, input_tokens, output_tokens, " +
        "cost_sum, cost_squares, latency_histogram, online_scored, online_passed, online_score_sum, online_score_squares, provider_calls, retried_calls, " +
        "first_token_count, log_first_token_sum, log_first_token_squares, one_arm_errors, cancelled";

    private const string Key = "app = @a AND environment = @e AND release_id = @r AND arm = @arm AND minute = @m AND grp = @g";

    /// <summary>The name of the advisory lock that guards one aggregate row.</summary>
    public static string LockKey(PostgresDatabase database, TraceAggregateDelta row) =>
        database.LockKey("trace_aggregates", row.App, row.Environment, row.ReleaseId, row.Arm, Iso(row.Minute), row.Group.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Merges <paramref name="delta"/> into its stored row (creating it), inside the caller's transaction.</summary>
    public static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string lockKey, TraceAggregateDelta delta, CancellationToken cancellationToken)
    {
        await using (var lockCmd = connection.Command("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", tx).With("k", lockKey))
        {
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var row = delta.EmptyCopy();
        await using (var read = connection.Command($"SELECT {Sums} FROM trace_aggregates WHERE {Key}", tx))
        {
            AddKey(read, delta);
            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row.Add(ReadSums(reader, 0, delta.EmptyCopy()));
            }
        }

        row.Add(delta);
        await using var upsert = connection.Command($"""
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, {Sums})
            VALUES (@a, @e, @r, @arm, @m, @g, @count, @errors, @latn, @lat, @log, @log2, @in, @out, @cost, @cost2, @hist, @os, @op, @osum, @osq, @calls, @retried, @ftn, @ftlog, @ftlog2, @onearm, @cancelled)
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
            """, tx);
        AddKey(upsert, row);
        upsert.With("count", row.Count).With("errors", row.Errors).With("latn", row.LatencyCount).With("lat", row.LatencyMsSum)
            .With("log", row.LogLatencySum).With("log2", row.LogLatencySquares).With("in", row.InputTokens).With("out", row.OutputTokens)
            .With("cost", row.CostSum).With("cost2", row.CostSquares).With("hist", LatencyBuckets.ToSparseJson(row.LatencyHistogram))
            .With("os", row.OnlineScored).With("op", row.OnlinePassed).With("osum", row.OnlineScoreSum).With("osq", row.OnlineScoreSquares)
            .With("calls", row.ProviderCalls).With("retried", row.RetriedCalls)
            .With("ftn", row.FirstTokenCount).With("ftlog", row.LogFirstTokenSum).With("ftlog2", row.LogFirstTokenSquares)
            .With("onearm", row.OneArmErrors).With("cancelled", row.Cancelled);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds every row of the environment inside <paramref name="window"/> to <paramref name="builder"/>.</summary>
    public static async Task ReadAsync(NpgsqlConnection connection, string app, string environment, AggregateWindow window, ArmStatsBuilder builder, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command($"SELECT release_id, arm, grp, {Sums} FROM trace_aggregates WHERE app = @a AND environment = @e AND minute >= @since AND minute < @until");
        cmd.With("a", app).With("e", environment);
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

    /// <summary>The window's bounds as <c>@since</c> and <c>@until</c> (minute text; "9999" sorts after every minute).</summary>
    public static void AddWindow(NpgsqlCommand cmd, AggregateWindow window)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        cmd.With("since", Iso(window.FromMinute)).With("until", window.UntilMinute is { } u ? Iso(u) : "9999");
    }

    private static TraceAggregateDelta ReadSums(NpgsqlDataReader reader, int i, TraceAggregateDelta into)
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

    private static void AddKey(NpgsqlCommand cmd, TraceAggregateDelta row) =>
        cmd.With("a", row.App).With("e", row.Environment).With("r", row.ReleaseId).With("arm", row.Arm).With("m", Iso(row.Minute)).With("g", row.Group);
}
