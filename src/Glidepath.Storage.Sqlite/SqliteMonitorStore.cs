using System.Globalization;
using System.Text.Json;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Drift alerts and observed environment configurations in SQLite (migrations 0007 and 0026).</summary>
internal sealed class SqliteMonitorStore(SqliteDatabase database) : IMonitorStore
{
    private const string Columns = "id, app, environment, release_id, metric, raised_at, reference_from, reference_to, recent_from, recent_to, evidence_json, message, notification, delivery_attempts, delivery_due";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string Values = "$id, $app, $env, $rel, $metric, $at, $rf, $rt, $cf, $ct, $ev, $msg, $note, $attempts, $due";

    public Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken) => InsertAsync(alert, null, cancellationToken);

    public Task<bool> RaiseAlertAsync(DriftAlert alert, DateTimeOffset raisedAfter, DateTimeOffset raisedUntil, CancellationToken cancellationToken) =>
        InsertAsync(alert, (raisedAfter, raisedUntil), cancellationToken);

    private async Task<bool> InsertAsync(DriftAlert alert, (DateTimeOffset After, DateTimeOffset Until)? unlessRaised, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // One INSERT … WHERE NOT EXISTS takes SQLite's single write lock before it reads: of two monitors raising the same
        // metric at once, the second reads the first's row and inserts nothing.
        cmd.CommandText = unlessRaised is not var (after, until)
            ? $"INSERT INTO monitor_alerts ({Columns}) VALUES ({Values})"
            : $"""
                INSERT INTO monitor_alerts ({Columns}) SELECT {Values}
                WHERE NOT EXISTS (SELECT 1 FROM monitor_alerts WHERE app = $app AND environment = $env AND release_id = $rel AND metric = $metric AND raised_at > $after AND raised_at <= $until)
                """;
        if (unlessRaised is var (from, to))
        {
            cmd.Parameters.AddWithValue("$after", Iso(from));
            cmd.Parameters.AddWithValue("$until", Iso(to));
        }

        var w = alert.Windows;
        cmd.Parameters.AddWithValue("$id", alert.Id);
        cmd.Parameters.AddWithValue("$app", alert.App);
        cmd.Parameters.AddWithValue("$env", alert.Environment);
        cmd.Parameters.AddWithValue("$rel", alert.ReleaseId);
        cmd.Parameters.AddWithValue("$metric", alert.Metric);
        cmd.Parameters.AddWithValue("$at", Iso(alert.RaisedAt));
        cmd.Parameters.AddWithValue("$rf", Iso(w.ReferenceFrom));
        cmd.Parameters.AddWithValue("$rt", Iso(w.ReferenceTo));
        cmd.Parameters.AddWithValue("$cf", Iso(w.RecentFrom));
        cmd.Parameters.AddWithValue("$ct", Iso(w.RecentTo));
        cmd.Parameters.AddWithValue("$ev", JsonSerializer.Serialize(alert.Evidence, Json));
        cmd.Parameters.AddWithValue("$msg", alert.Message);
        cmd.Parameters.AddWithValue("$note", alert.Notification);
        cmd.Parameters.AddWithValue("$attempts", alert.DeliveryAttempts);
        cmd.Parameters.AddWithValue("$due", alert.DeliveryDue is { } due ? Iso(due) : DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task RecordDeliveryAsync(string alertId, string notification, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE monitor_alerts SET notification = $note, delivery_due = $due WHERE id = $id AND notification <> 'sent'";
        cmd.Parameters.AddWithValue("$id", alertId);
        cmd.Parameters.AddWithValue("$note", notification);
        cmd.Parameters.AddWithValue("$due", nextDue is { } due ? Iso(due) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ClaimDeliveryAsync(string alertId, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset ignoreDueAfter, bool resend, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        // One UPDATE is atomic under SQLite's single writer: of two claims at once, the second finds the first's lease, and
        // a check's claim finds a give-up recorded meanwhile (attempted, no due time).
        cmd.CommandText = $"""
            UPDATE monitor_alerts SET delivery_attempts = delivery_attempts + 1, delivery_due = $lease
            WHERE id = $id AND notification <> 'sent' AND (delivery_due IS NULL OR delivery_due <= $now OR delivery_due > $horizon)
            {(resend ? "" : "AND (delivery_attempts = 0 OR delivery_due IS NOT NULL)")}
            """;
        cmd.Parameters.AddWithValue("$id", alertId);
        cmd.Parameters.AddWithValue("$now", Iso(now));
        cmd.Parameters.AddWithValue("$lease", Iso(leaseUntil));
        cmd.Parameters.AddWithValue("$horizon", Iso(ignoreDueAfter));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<DriftAlert>> ListUndeliveredAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync("app = $app AND environment = $env AND raised_at >= $since AND notification <> 'sent'", -1, cancellationToken, "ASC",
            ("$app", app), ("$env", environment), ("$since", Iso(since)));

    public Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken) =>
        QueryAsync("app = $app AND environment = $env", Math.Max(1, limit), cancellationToken, "DESC", ("$app", app), ("$env", environment));

    public Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync("app = $app AND environment = $env AND release_id = $rel AND raised_at >= $since", -1, cancellationToken, "DESC",
            ("$app", app), ("$env", environment), ("$rel", releaseId), ("$since", Iso(since)));

    public async Task<DriftAlert?> GetAlertAsync(string app, string alertId, CancellationToken cancellationToken) =>
        (await QueryAsync("app = $app AND id = $id", 1, cancellationToken, "DESC", ("$app", app), ("$id", alertId)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken) =>
        (await QueryAsync("app = $app AND environment = $env AND release_id = $rel AND metric = $metric", 1, cancellationToken, "DESC",
            ("$app", app), ("$env", environment), ("$rel", releaseId), ("$metric", metric)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var count = connection.CreateCommand();
        count.Transaction = tx;
        count.CommandText = "SELECT COUNT(*) FROM environment_configs WHERE app = $app AND environment = $env";
        count.Parameters.AddWithValue("$app", app);
        count.Parameters.AddWithValue("$env", environment);
        var known = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT OR IGNORE INTO environment_configs (app, environment, sha256, first_seen) VALUES ($app, $env, $sha, $now)";
        insert.Parameters.AddWithValue("$app", app);
        insert.Parameters.AddWithValue("$env", environment);
        insert.Parameters.AddWithValue("$sha", sha256);
        insert.Parameters.AddWithValue("$now", Iso(now));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        await using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT first_seen, (SELECT MIN(first_seen) FROM environment_configs WHERE app = $app AND environment = $env) FROM environment_configs WHERE app = $app AND environment = $env AND sha256 = $sha";
        read.Parameters.AddWithValue("$app", app);
        read.Parameters.AddWithValue("$env", environment);
        read.Parameters.AddWithValue("$sha", sha256);
        DateTimeOffset firstSeen;
        bool isOriginal;
        await using (var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            firstSeen = Parse(r.GetString(0));
            isOriginal = r.GetString(0) == r.GetString(1);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);

        // The first configuration ever recorded was not seen to change: when it was set is unknown.
        return known == 0 || isOriginal ? null : firstSeen;
    }

    /// <summary>
    /// Alerts matching <paramref name="where"/>, newest first (<paramref name="order"/> DESC) or oldest first (ASC); a
    /// negative <paramref name="limit"/> is no limit (SQLite's LIMIT -1).
    /// </summary>
    private async Task<IReadOnlyList<DriftAlert>> QueryAsync(string where, int limit, CancellationToken cancellationToken, string order, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM monitor_alerts WHERE {where} ORDER BY raised_at {order}, seq {order} LIMIT $limit";
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<DriftAlert>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new DriftAlert
            {
                Id = r.GetString(0),
                App = r.GetString(1),
                Environment = r.GetString(2),
                ReleaseId = r.GetString(3),
                Metric = r.GetString(4),
                RaisedAt = Parse(r.GetString(5)),
                Windows = new DriftWindows(Parse(r.GetString(6)), Parse(r.GetString(7)), Parse(r.GetString(8)), Parse(r.GetString(9))),
                Evidence = JsonSerializer.Deserialize<MetricEvidence>(r.GetString(10), Json)!,
                Message = r.GetString(11),
                Notification = r.GetString(12),
                DeliveryAttempts = r.GetInt32(13),
                DeliveryDue = r.IsDBNull(14) ? null : Parse(r.GetString(14)),
            });
        }

        return list;
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
