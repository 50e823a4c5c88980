using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Environment state and its append-only history. Every change is a compare-and-swap on the revision:
/// BEGIN IMMEDIATE (the write lock), check, write state and event, commit — so concurrent writers
/// serialise and a stale one is refused rather than half-applied.
/// </summary>
internal sealed class SqliteEnvironmentStore(SqliteDatabase database) : IEnvironmentStore
{
    private const string StateColumns =
        "app, name, revision, stable_release_id, stable_since, stable_by, frozen, frozen_reason, canary_release_id, canary_weight, canary_seed, " +
        "shadow_id, shadow_release_id, shadow_rate, shadow_max_cost_usd, shadow_max_requests";

    private const string EventColumns =
        "app, environment, revision, kind, actor, reason, time, from_release_id, to_release_id, forced, details_json";

    public async Task<EnvironmentState> GetAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadStateAsync(connection, null, app, environment, cancellationToken).ConfigureAwait(false)
            ?? new EnvironmentState { App = app, Name = environment };
    }

    public async Task<long> GetRevisionAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadRevisionAsync(connection, null, app, environment, cancellationToken).ConfigureAwait(false);
    }

    public async Task<EnvironmentState> ApplyAsync(EnvironmentChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        change.Validate();
        try
        {
            return await CompareAndSwapAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new OperationalException($"cannot change environment '{change.Environment}' in the store at {database.Path}: {ex.Message}; nothing was written", ex);
        }
    }

    private async Task<EnvironmentState> CompareAndSwapAsync(EnvironmentChange change, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // Not deferred: Microsoft.Data.Sqlite issues BEGIN IMMEDIATE, taking the write lock before the read.
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var state = await CompareAndSwapAsync(connection, tx, change, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>The compare-and-swap inside a caller's transaction (rollouts commit it with their own rows).</summary>
    internal static async Task<EnvironmentState> CompareAndSwapAsync(SqliteConnection connection, SqliteTransaction tx, EnvironmentChange change, CancellationToken cancellationToken)
    {
        change.Validate();
        var current = await ReadRevisionAsync(connection, tx, change.App, change.Environment, cancellationToken).ConfigureAwait(false);
        if (current != change.ExpectedRevision)
        {
            throw StoreConflicts.EnvironmentChanged(change.Environment, change.ExpectedRevision, current);
        }

        var revision = change.ExpectedRevision + 1;
        var state = change.NewState with { App = change.App, Name = change.Environment, Revision = revision };
        var ev = change.Event with { App = change.App, Environment = change.Environment, Revision = revision };

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = tx;
            upsert.CommandText = $"""
                INSERT INTO environments ({StateColumns}, updated_at)
                VALUES ($app, $name, $rev, $stable, $since, $by, $frozen, $frozenReason, $canary, $weight, $seed, $shadow, $shadowRelease, $shadowRate, $shadowCost, $shadowMax, $at)
                ON CONFLICT (app, name) DO UPDATE SET
                    revision = excluded.revision, stable_release_id = excluded.stable_release_id,
                    stable_since = excluded.stable_since, stable_by = excluded.stable_by,
                    frozen = excluded.frozen, frozen_reason = excluded.frozen_reason,
                    canary_release_id = excluded.canary_release_id, canary_weight = excluded.canary_weight,
                    canary_seed = excluded.canary_seed, shadow_id = excluded.shadow_id,
                    shadow_release_id = excluded.shadow_release_id, shadow_rate = excluded.shadow_rate,
                    shadow_max_cost_usd = excluded.shadow_max_cost_usd, shadow_max_requests = excluded.shadow_max_requests,
                    updated_at = excluded.updated_at
                """;
            upsert.Parameters.AddWithValue("$app", state.App);
            upsert.Parameters.AddWithValue("$name", state.Name);
            upsert.Parameters.AddWithValue("$rev", revision);
            upsert.Parameters.AddWithValue("$stable", Db(state.StableReleaseId));
            upsert.Parameters.AddWithValue("$since", Db(state.StableSince is { } s ? Format(s) : null));
            upsert.Parameters.AddWithValue("$by", Db(state.StableBy));
            upsert.Parameters.AddWithValue("$frozen", state.Frozen ? 1 : 0);
            upsert.Parameters.AddWithValue("$frozenReason", Db(state.FrozenReason));
            upsert.Parameters.AddWithValue("$canary", Db(state.Canary?.ReleaseId));
            upsert.Parameters.AddWithValue("$weight", state.Canary is { } c ? c.Weight : DBNull.Value);
            upsert.Parameters.AddWithValue("$seed", Db(state.Canary?.Seed));
            upsert.Parameters.AddWithValue("$shadow", Db(state.Shadow?.ShadowId));
            upsert.Parameters.AddWithValue("$shadowRelease", Db(state.Shadow?.ReleaseId));
            upsert.Parameters.AddWithValue("$shadowRate", state.Shadow is { } sh ? sh.Rate : DBNull.Value);
            upsert.Parameters.AddWithValue("$shadowCost", (object?)state.Shadow?.MaxCostUsd ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$shadowMax", (object?)state.Shadow?.MaxRequests ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$at", Format(ev.Time));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"""
                INSERT INTO environment_events ({EventColumns})
                VALUES ($app, $env, $rev, $kind, $actor, $reason, $time, $from, $to, $forced, $details)
                """;
            insert.Parameters.AddWithValue("$app", ev.App);
            insert.Parameters.AddWithValue("$env", ev.Environment);
            insert.Parameters.AddWithValue("$rev", revision);
            insert.Parameters.AddWithValue("$kind", ev.Kind);
            insert.Parameters.AddWithValue("$actor", ev.Actor);
            insert.Parameters.AddWithValue("$reason", Db(ev.Reason));
            insert.Parameters.AddWithValue("$time", Format(ev.Time));
            insert.Parameters.AddWithValue("$from", Db(ev.FromReleaseId));
            insert.Parameters.AddWithValue("$to", Db(ev.ToReleaseId));
            insert.Parameters.AddWithValue("$forced", ev.Forced ? 1 : 0);
            insert.Parameters.AddWithValue("$details", Db(ev.DetailsJson));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    public async Task<IReadOnlyList<EnvironmentEvent>> HistoryAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {EventColumns} FROM environment_events WHERE app = $app AND environment = $env ORDER BY revision";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        var list = new List<EnvironmentEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new EnvironmentEvent
            {
                App = reader.GetString(0),
                Environment = reader.GetString(1),
                Revision = reader.GetInt64(2),
                Kind = reader.GetString(3),
                Actor = reader.GetString(4),
                Reason = Str(reader, 5),
                Time = Parse(reader.GetString(6)),
                FromReleaseId = Str(reader, 7),
                ToReleaseId = Str(reader, 8),
                Forced = reader.GetInt64(9) != 0,
                DetailsJson = Str(reader, 10),
            });
        }

        return list;
    }

    public async Task<IReadOnlyList<EnvironmentState>> ListAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {StateColumns} FROM environments WHERE app = $app ORDER BY name";
        cmd.Parameters.AddWithValue("$app", app);
        var list = new List<EnvironmentState>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadState(reader));
        }

        return list;
    }

    private static async Task<long> ReadRevisionAsync(SqliteConnection connection, SqliteTransaction? tx, string app, string environment, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT revision FROM environments WHERE app = $app AND name = $name";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$name", environment);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    internal static async Task<EnvironmentState?> ReadStateAsync(SqliteConnection connection, SqliteTransaction? tx, string app, string environment, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {StateColumns} FROM environments WHERE app = $app AND name = $name";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$name", environment);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadState(reader) : null;
    }

    private static EnvironmentState ReadState(SqliteDataReader reader) => new()
    {
        App = reader.GetString(0),
        Name = reader.GetString(1),
        Revision = reader.GetInt64(2),
        StableReleaseId = Str(reader, 3),
        StableSince = Str(reader, 4) is { } since ? Parse(since) : null,
        StableBy = Str(reader, 5),
        Frozen = reader.GetInt64(6) != 0,
        FrozenReason = Str(reader, 7),
        Canary = Str(reader, 8) is { } canary
            ? new CanaryState(canary, reader.IsDBNull(9) ? 0 : reader.GetDouble(9), Str(reader, 10) ?? "")
            : null,
        Shadow = Str(reader, 11) is { } shadow
            ? new ShadowState(shadow, Str(reader, 12) ?? "", reader.GetDouble(13), reader.IsDBNull(14) ? null : reader.GetDouble(14), reader.IsDBNull(15) ? null : reader.GetInt64(15))
            : null,
    };

    private static object Db(string? value) => (object?)value ?? DBNull.Value;

    private static string? Str(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    // UTC round-trip format: fixed width, so text order is time order.
    internal static string Format(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
