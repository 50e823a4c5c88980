using Glidepath.Environments;
using Glidepath.Errors;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Environment state and its append-only history. Every change is a compare-and-swap on the revision under the
/// environment's advisory lock: lock, read the revision, check, write state and event, commit. Writers on any machine
/// queue on the lock, so revisions stay gapless and a stale writer is refused rather than half-applied.
/// </summary>
internal sealed class PostgresEnvironmentStore(PostgresDatabase database) : IEnvironmentStore
{
    private const string StateColumns =
        "app, name, revision, stable_release_id, stable_since, stable_by, frozen, frozen_reason, canary_release_id, canary_weight, canary_seed, " +
        "shadow_id, shadow_release_id, shadow_rate, shadow_max_cost_usd, shadow_max_requests";

    private const string EventColumns =
        "app, environment, revision, kind, actor, reason, time, from_release_id, to_release_id, forced, details_json";

    public async Task<EnvironmentState> GetAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {StateColumns} FROM environments WHERE app = @app AND name = @name").With("app", app).With("name", environment);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadState(reader) : new EnvironmentState { App = app, Name = environment };
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
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            var state = await CompareAndSwapAsync(database, connection, tx, change, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return state;
        }
        catch (PostgresException ex)
        {
            throw new OperationalException($"cannot change environment '{change.Environment}' in the store at {database.Location.Display}: {ex.Message}; nothing was written", ex);
        }
    }

    /// <summary>Takes the environment's lock inside the caller's transaction (rollouts hold it for their own checks too).</summary>
    internal static Task LockAsync(PostgresDatabase database, NpgsqlConnection connection, NpgsqlTransaction tx, string app, string environment, CancellationToken cancellationToken) =>
        database.LockAsync(connection, tx, cancellationToken, "environment", app, environment);

    /// <summary>The compare-and-swap inside a caller's transaction (rollouts commit it with their own rows).</summary>
    internal static async Task<EnvironmentState> CompareAndSwapAsync(PostgresDatabase database, NpgsqlConnection connection, NpgsqlTransaction tx, EnvironmentChange change, CancellationToken cancellationToken)
    {
        change.Validate();
        await LockAsync(database, connection, tx, change.App, change.Environment, cancellationToken).ConfigureAwait(false);
        var current = await ReadRevisionAsync(connection, tx, change.App, change.Environment, cancellationToken).ConfigureAwait(false);
        if (current != change.ExpectedRevision)
        {
            throw StoreConflicts.EnvironmentChanged(change.Environment, change.ExpectedRevision, current);
        }

        var revision = change.ExpectedRevision + 1;
        var state = change.NewState with { App = change.App, Name = change.Environment, Revision = revision };
        var ev = change.Event with { App = change.App, Environment = change.Environment, Revision = revision };

        await using (var upsert = connection.Command($"""
            INSERT INTO environments ({StateColumns}, updated_at)
            VALUES (@app, @name, @rev, @stable, @since, @by, @frozen, @frozenReason, @canary, @weight, @seed, @shadow, @shadowRelease, @shadowRate, @shadowCost, @shadowMax, @at)
            ON CONFLICT (app, name) DO UPDATE SET
                revision = excluded.revision, stable_release_id = excluded.stable_release_id,
                stable_since = excluded.stable_since, stable_by = excluded.stable_by,
                frozen = excluded.frozen, frozen_reason = excluded.frozen_reason,
                canary_release_id = excluded.canary_release_id, canary_weight = excluded.canary_weight,
                canary_seed = excluded.canary_seed, shadow_id = excluded.shadow_id,
                shadow_release_id = excluded.shadow_release_id, shadow_rate = excluded.shadow_rate,
                shadow_max_cost_usd = excluded.shadow_max_cost_usd, shadow_max_requests = excluded.shadow_max_requests,
                updated_at = excluded.updated_at
            """, tx))
        {
            upsert.With("app", state.App).With("name", state.Name).With("rev", revision).With("stable", state.StableReleaseId)
                .With("since", state.StableSince is { } s ? Utc(s) : null).With("by", state.StableBy).With("frozen", state.Frozen)
                .With("frozenReason", state.FrozenReason).With("canary", state.Canary?.ReleaseId).With("weight", state.Canary?.Weight)
                .With("seed", state.Canary?.Seed).With("shadow", state.Shadow?.ShadowId).With("shadowRelease", state.Shadow?.ReleaseId)
                .With("shadowRate", state.Shadow?.Rate).With("shadowCost", state.Shadow?.MaxCostUsd).With("shadowMax", state.Shadow?.MaxRequests)
                .With("at", Utc(ev.Time));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var insert = connection.Command($"""
            INSERT INTO environment_events ({EventColumns})
            VALUES (@app, @env, @rev, @kind, @actor, @reason, @time, @from, @to, @forced, @details)
            """, tx))
        {
            insert.With("app", ev.App).With("env", ev.Environment).With("rev", revision).With("kind", ev.Kind).With("actor", ev.Actor)
                .With("reason", ev.Reason).With("time", Utc(ev.Time)).With("from", ev.FromReleaseId).With("to", ev.ToReleaseId)
                .With("forced", ev.Forced).With("details", ev.DetailsJson);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    public async Task<IReadOnlyList<EnvironmentEvent>> HistoryAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {EventColumns} FROM environment_events WHERE app = @app AND environment = @env ORDER BY revision")
            .With("app", app).With("env", environment);
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
                Reason = reader.StringOrNull(5),
                Time = ParseUtc(reader.GetString(6)),
                FromReleaseId = reader.StringOrNull(7),
                ToReleaseId = reader.StringOrNull(8),
                Forced = reader.GetBoolean(9),
                DetailsJson = reader.StringOrNull(10),
            });
        }

        return list;
    }

    public async Task<IReadOnlyList<EnvironmentState>> ListAsync(string app, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {StateColumns} FROM environments WHERE app = @app ORDER BY name").With("app", app);
        var list = new List<EnvironmentState>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadState(reader));
        }

        return list;
    }

    private static async Task<long> ReadRevisionAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string app, string environment, CancellationToken cancellationToken)
    {
        await using var cmd = connection.Command("SELECT revision FROM environments WHERE app = @app AND name = @name", tx).With("app", app).With("name", environment);
        var value = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long revision ? revision : 0;
    }

    private static EnvironmentState ReadState(NpgsqlDataReader reader) => new()
    {
        App = reader.GetString(0),
        Name = reader.GetString(1),
        Revision = reader.GetInt64(2),
        StableReleaseId = reader.StringOrNull(3),
        StableSince = reader.StringOrNull(4) is { } since ? ParseUtc(since) : null,
        StableBy = reader.StringOrNull(5),
        Frozen = reader.GetBoolean(6),
        FrozenReason = reader.StringOrNull(7),
        Canary = reader.StringOrNull(8) is { } canary
            ? new CanaryState(canary, reader.IsDBNull(9) ? 0 : reader.GetDouble(9), reader.StringOrNull(10) ?? "")
            : null,
        Shadow = reader.StringOrNull(11) is { } shadow
            ? new ShadowState(shadow, reader.StringOrNull(12) ?? "", reader.GetDouble(13), reader.IsDBNull(14) ? null : reader.GetDouble(14), reader.IsDBNull(15) ? null : reader.GetInt64(15))
            : null,
    };
}
