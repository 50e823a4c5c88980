using System.Text.Json;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>Drift alerts and observed environment configurations (migrations 0006 and 0026).</summary>
internal sealed class PostgresMonitorStore(PostgresDatabase database) : IMonitorStore
{
    private const string Columns = "id, app, environment, release_id, metric, raised_at, reference_from, reference_to, recent_from, recent_to, evidence_json, message, notification, delivery_attempts, delivery_due";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string Values = "@id, @app, @env, @rel, @metric, @at, @rf, @rt, @cf, @ct, @ev, @msg, @note, @attempts, CAST(@due AS text)";

    public async Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Bind(connection.Command($"INSERT INTO monitor_alerts ({Columns}) VALUES ({Values})"), alert);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RaiseAlertAsync(DriftAlert alert, DateTimeOffset raisedAfter, DateTimeOffset raisedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        // Under READ COMMITTED two INSERT … WHERE NOT EXISTS at once would each see no row and both insert: monitors raising
        // the same metric queue on one lock, and each statement's snapshot, taken after it, sees the one before.
        await database.LockAsync(connection, tx, cancellationToken, "monitor_alerts", alert.App, alert.Environment, alert.ReleaseId, alert.Metric).ConfigureAwait(false);
        int inserted;
        await using (var cmd = Bind(connection.Command($"""
            INSERT INTO monitor_alerts ({Columns}) SELECT {Values}
            WHERE NOT EXISTS (SELECT 1 FROM monitor_alerts WHERE app = @app AND environment = @env AND release_id = @rel AND metric = @metric AND raised_at > @after AND raised_at <= @until)
            """, tx), alert).With("after", Iso(raisedAfter)).With("until", Iso(raisedUntil)))
        {
            inserted = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    private static NpgsqlCommand Bind(NpgsqlCommand cmd, DriftAlert alert)
    {
        var w = alert.Windows;
        return cmd.With("id", alert.Id).With("app", alert.App).With("env", alert.Environment).With("rel", alert.ReleaseId).With("metric", alert.Metric)
            .With("at", Iso(alert.RaisedAt)).With("rf", Iso(w.ReferenceFrom)).With("rt", Iso(w.ReferenceTo)).With("cf", Iso(w.RecentFrom))
            .With("ct", Iso(w.RecentTo)).With("ev", JsonSerializer.Serialize(alert.Evidence, Json)).With("msg", alert.Message).With("note", alert.Notification)
            .With("attempts", alert.DeliveryAttempts).With("due", alert.DeliveryDue is { } due ? Iso(due) : DBNull.Value);
    }

    public async Task RecordDeliveryAsync(string alertId, string notification, DateTimeOffset? nextDue, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("UPDATE monitor_alerts SET notification = @note, delivery_due = @due WHERE id = @id AND notification <> 'sent'")
            .With("id", alertId).With("note", notification).With("due", nextDue is { } due ? Iso(due) : DBNull.Value);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ClaimDeliveryAsync(string alertId, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset ignoreDueAfter, bool resend, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Under READ COMMITTED a concurrent UPDATE of the row waits for the first and re-checks its WHERE on the new row,
        // so of two claims at once the second finds the first's lease and changes nothing, and a check's claim finds a
        // give-up recorded meanwhile (attempted, no due time).
        await using var cmd = connection.Command($"""
            UPDATE monitor_alerts SET delivery_attempts = delivery_attempts + 1, delivery_due = @lease
            WHERE id = @id AND notification <> 'sent' AND (delivery_due IS NULL OR delivery_due <= @now OR delivery_due > @horizon)
            {(resend ? "" : "AND (delivery_attempts = 0 OR delivery_due IS NOT NULL)")}
            """).With("id", alertId).With("now", Iso(now)).With("lease", Iso(leaseUntil)).With("horizon", Iso(ignoreDueAfter));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<DriftAlert>> ListUndeliveredAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync("app = @app AND environment = @env AND raised_at >= @since AND notification <> 'sent'", null, cancellationToken, "ASC",
            ("app", app), ("env", environment), ("since", Iso(since)));

    public Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken) =>
        QueryAsync("app = @app AND environment = @env", Math.Max(1, limit), cancellationToken, "DESC", ("app", app), ("env", environment));

    public Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken) =>
        QueryAsync("app = @app AND environment = @env AND release_id = @rel AND raised_at >= @since", null, cancellationToken, "DESC",
            ("app", app), ("env", environment), ("rel", releaseId), ("since", Iso(since)));

    public async Task<DriftAlert?> GetAlertAsync(string app, string alertId, CancellationToken cancellationToken) =>
        (await QueryAsync("app = @app AND id = @id", 1, cancellationToken, "DESC", ("app", app), ("id", alertId)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken) =>
        (await QueryAsync("app = @app AND environment = @env AND release_id = @rel AND metric = @metric", 1, cancellationToken, "DESC",
            ("app", app), ("env", environment), ("rel", releaseId), ("metric", metric)).ConfigureAwait(false)).FirstOrDefault();

    public async Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await database.LockAsync(connection, tx, cancellationToken, "environment_configs", app, environment).ConfigureAwait(false);
        long known;
        await using (var count = connection.Command("SELECT COUNT(*) FROM environment_configs WHERE app = @app AND environment = @env", tx).With("app", app).With("env", environment))
        {
            known = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await using (var insert = connection.Command("""
            INSERT INTO environment_configs (app, environment, sha256, first_seen) VALUES (@app, @env, @sha, @now)
            ON CONFLICT (app, environment, sha256) DO NOTHING
            """, tx))
        {
            insert.With("app", app).With("env", environment).With("sha", sha256).With("now", Iso(now));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        DateTimeOffset firstSeen;
        bool isOriginal;
        await using (var read = connection.Command("""
            SELECT first_seen, (SELECT MIN(first_seen) FROM environment_configs WHERE app = @app AND environment = @env)
            FROM environment_configs WHERE app = @app AND environment = @env AND sha256 = @sha
            """, tx))
        {
            read.With("app", app).With("env", environment).With("sha", sha256);
            await using var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await r.ReadAsync(cancellationToken).ConfigureAwait(false);
            firstSeen = ParseIso(r.GetString(0));
            isOriginal = r.GetString(0) == r.GetString(1);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);

        // The first configuration ever recorded was not seen to change: when it was set is unknown.
        return known == 0 || isOriginal ? null : firstSeen;
    }

    /// <summary>
    /// Alerts matching <paramref name="where"/>, newest first (<paramref name="order"/> DESC) or oldest first (ASC); a null
    /// <paramref name="limit"/> is no limit (LIMIT ALL).
    /// </summary>
    private async Task<IReadOnlyList<DriftAlert>> QueryAsync(string where, int? limit, CancellationToken cancellationToken, string order, params (string Name, object Value)[] args)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM monitor_alerts WHERE {where} ORDER BY raised_at {order}, seq {order} LIMIT {(limit is null ? "ALL" : "@limit")}");
        foreach (var (name, value) in args)
        {
            cmd.With(name, value);
        }

        if (limit is { } l)
        {
            cmd.With("limit", l);
        }

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
                RaisedAt = ParseIso(r.GetString(5)),
                Windows = new DriftWindows(ParseIso(r.GetString(6)), ParseIso(r.GetString(7)), ParseIso(r.GetString(8)), ParseIso(r.GetString(9))),
                Evidence = JsonSerializer.Deserialize<MetricEvidence>(r.GetString(10), Json)!,
                Message = r.GetString(11),
                Notification = r.GetString(12),
                DeliveryAttempts = r.GetInt32(13),
                DeliveryDue = r.IsDBNull(14) ? null : ParseIso(r.GetString(14)),
            });
        }

        return list;
    }
}
