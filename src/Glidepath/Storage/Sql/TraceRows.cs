using System.Data.Common;
using System.Globalization;
using Glidepath.Traces;

namespace Glidepath.Storage.Sql;

/// <summary>
/// What the SQL stores (SQLite, PostgreSQL) share about the <c>traces</c> table: its columns in order, how times are
/// stored as text, how a row becomes a <see cref="TraceRecord"/>, and the WHERE clause of a <see cref="TraceQuery"/>.
/// Only the parameter marker and the boolean literal differ between them.
/// </summary>
public static class TraceRows
{
    public const string Columns = "trace_id, app, environment, release_id, arm, subject_hash, started_at, api, stream, model, status, error, " +
        "latency_ms, ttft_ms, overhead_ms, input_tokens, output_tokens, cost_usd, finish_reason, input_json, output_text, online_score, online_passed, " +
        "online_scores_json, subject_group, upstream_status, upstream_message, key_id, key_name, capture_dropped, attempts";

    /// <summary>Fixed-width UTC text ending in Z: sorts as time does.</summary>
    public static string Iso(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseIso(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>The row at the reader's position, read in <see cref="Columns"/> order (flags may be 0/1 or booleans).</summary>
    public static TraceRecord Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        double? Number(int i) => r.IsDBNull(i) ? null : r.GetDouble(i);
        bool Flag(int i) => Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture);
        return new TraceRecord
        {
            TraceId = r.GetString(0),
            App = r.GetString(1),
            Environment = r.GetString(2),
            ReleaseId = r.GetString(3),
            Arm = r.GetString(4),
            SubjectHash = Text(5),
            StartedAt = ParseIso(r.GetString(6)),
            Api = r.GetString(7),
            Stream = Flag(8),
            Model = Text(9),
            Status = r.GetInt32(10),
            Error = Text(11),
            LatencyMs = r.GetDouble(12),
            TimeToFirstTokenMs = Number(13),
            OverheadMs = r.GetDouble(14),
            InputTokens = r.GetInt64(15),
            OutputTokens = r.GetInt64(16),
            CostUsd = r.GetDouble(17),
            FinishReason = Text(18),
            InputJson = Text(19),
            OutputText = Text(20),
            OnlineScore = Number(21),
            OnlinePassed = r.IsDBNull(22) ? null : Flag(22),
            OnlineScoresJson = Text(23),
            UpstreamStatus = r.IsDBNull(25) ? null : r.GetInt32(25),
            UpstreamMessage = Text(26),
            KeyId = Text(27),
            KeyName = Text(28),
            CaptureDropped = Text(29),
            Attempts = r.GetInt32(30),
        };
    }

    /// <summary>
    /// <see cref="TraceRecord.IsError"/> as an SQL condition on a <c>traces</c> row; error is NULL on most rows (NULL IN (…)
    /// is NULL: COALESCE keeps a NOT around it true there).
    /// </summary>
    public static readonly string IsError =
        $"status >= 500 OR status = 429 OR (status = 408 AND COALESCE(error, '') <> '{TraceRecord.Refused}') OR COALESCE(error, '') IN ({string.Join(", ", TraceRecord.CountedRefusals.Select(e => $"'{e}'"))})";

    /// <summary>
    /// The query of <see cref="ITraceStore.ErrorsByKeyAsync"/> with parameters <c>app</c>, <c>env</c>, <c>release</c>,
    /// <c>arm</c> and <c>since</c> behind <paramref name="marker"/>; it uses the index on (app, release_id, started_at).
    /// Requests the gateway refused as the caller's mistake are left out, as the judge's aggregates leave them out.
    /// </summary>
    public static string ErrorsByKeySql(char marker) =>
        $"SELECT key_name, subject_hash, COUNT(*), SUM(CASE WHEN {IsError} THEN 1 ELSE 0 END) FROM traces " +
        $"WHERE app = {marker}app AND release_id = {marker}release AND started_at >= {marker}since AND environment = {marker}env AND arm = {marker}arm AND key_name IS NOT NULL " +
        $"AND NOT (status >= 400 AND status < 499 AND NOT ({IsError})) " + // TraceAggregator.IsRefusal: the caller's mistakes are not counted
        "GROUP BY key_name, subject_hash";

    /// <summary>
    /// The WHERE clause of <paramref name="query"/> with its arguments (names without the marker), for a dialect whose
    /// parameters start with <paramref name="marker"/> and whose false is <paramref name="falseLiteral"/>.
    /// </summary>
    public static (string Where, IReadOnlyList<(string Name, object Value)> Args) Where(TraceQuery query, char marker, string falseLiteral)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string> { $"app = {marker}app" };
        var args = new List<(string, object)> { ("app", query.App) };
        void Add(string column, string op, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} {op} {marker}{name}");
                args.Add((name, value));
            }
        }

        Add("environment", "=", "env", query.Environment);
        Add("release_id", "=", "rel", query.ReleaseId);
        Add("arm", "=", "arm", query.Arm);
        Add("key_name", "=", "keyName", query.KeyName);
        Add("started_at", ">=", "since", query.Since is { } s ? Iso(s) : null);
        Add("started_at", "<", "until", query.Until is { } u ? Iso(u) : null);
        if (query.OlderThan is { } cursor)
        {
            // The list's own order (started_at DESC, trace_id): a keyset, so a page's edge neither skips nor repeats a trace.
            where.Add($"(started_at < {marker}olderAt OR (started_at = {marker}olderAt AND trace_id > {marker}olderId))");
            args.Add(("olderAt", Iso(cursor.StartedAt)));
            args.Add(("olderId", cursor.TraceId));
        }

        // A range on the primary key rather than LIKE, so a prefix lookup uses the index: ids are lower-case hex, below 'g'.
        Add("trace_id", ">=", "prefix", query.IdPrefix);
        Add("trace_id", "<", "prefixEnd", query.IdPrefix is { } p ? p + "g" : null);
        if (query.ScoredOnly)
        {
            where.Add("online_passed IS NOT NULL");
        }

        var isError = IsError;
        if (query.AnsweredOnly)
        {
            where.Add($"NOT ({isError})");
        }

        var wrong = new List<string>();
        if (query.ErrorsOnly)
        {
            wrong.Add(isError);
        }

        if (query.CancelledOnly)
        {
            wrong.Add($"(status = 499 AND NOT ({isError}))"); // TraceRecord.IsCancelled
        }

        if (query.OnlineFailedOnly)
        {
            wrong.Add($"online_passed = {falseLiteral}");
        }

        if (query.NegativeFeedbackOnly)
        {
            // Filtered here so LIMIT applies to matches; the threshold is the domain's, passed in (FeedbackScore).
            wrong.Add($"EXISTS (SELECT 1 FROM trace_feedback f WHERE f.trace_id = traces.trace_id AND f.score < {marker}positive)");
            args.Add(("positive", FeedbackScore.PositiveThreshold));
        }

        if (wrong.Count > 0)
        {
            where.Add("(" + string.Join(" OR ", wrong) + ")");
        }

        return (string.Join(" AND ", where), args);
    }
}
