using Glidepath.Errors;
using Glidepath.Rollouts;
using Npgsql;
using static Glidepath.Storage.Postgres.PostgresCommands;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// Rollouts and their decisions. A transition is one transaction under the environment's lock: the one-active check,
/// the rollout row's version check, the environment's compare-and-swap and the decision commit together or not at all.
/// </summary>
internal sealed class PostgresRolloutStore(PostgresDatabase database) : IRolloutStore
{
    private const string Columns =
        "id, app, environment, release_id, baseline_release_id, plan_json, state, step_index, step_started_at, step_baseline_json, " +
        "seed, started_at, started_by, reason, forced, ended_at, end_reason, version";

    private const string Active = "state IN ('progressing', 'paused')";

    public async Task<Rollout> TransitionAsync(RolloutTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
            var rollout = transition.Rollout with { Version = transition.ExpectedVersion + 1 };
            await PostgresEnvironmentStore.LockAsync(database, connection, tx, rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
            await WriteRolloutAsync(connection, tx, rollout, transition.ExpectedVersion, cancellationToken).ConfigureAwait(false);
            await PostgresEnvironmentStore.CompareAndSwapAsync(database, connection, tx, transition.Environment, cancellationToken).ConfigureAwait(false);
            await InsertDecisionAsync(connection, tx, transition.Decision with { RolloutId = rollout.Id }, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rollout;
        }
        catch (PostgresException ex)
        {
            throw new OperationalException($"cannot write rollout {transition.Rollout.Id} to the store at {database.Location.Display}: {ex.Message}; nothing was written", ex);
        }
    }

    public async Task AppendDecisionAsync(RolloutDecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await InsertDecisionAsync(connection, tx, decision, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Rollout?> EndExternallyAsync(Rollout ended, long expectedVersion, RolloutDecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await database.BeginAsync(connection, cancellationToken).ConfigureAwait(false);
        await PostgresEnvironmentStore.LockAsync(database, connection, tx, ended.App, ended.Environment, cancellationToken).ConfigureAwait(false);
        var rollout = ended with { Version = expectedVersion + 1 };
        try
        {
            await WriteRolloutAsync(connection, tx, rollout, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyException)
        {
            return null;
        }

        await InsertDecisionAsync(connection, tx, decision with { RolloutId = rollout.Id }, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rollout;
    }

    public Task<Rollout?> ActiveAsync(string app, string environment, CancellationToken cancellationToken) =>
        FirstAsync($"app = @app AND environment = @env AND {Active}", cancellationToken, ("app", app), ("env", environment));

    public Task<Rollout?> LatestAsync(string app, string environment, CancellationToken cancellationToken) =>
        FirstAsync("app = @app AND environment = @env ORDER BY started_at DESC, seq DESC LIMIT 1", cancellationToken, ("app", app), ("env", environment));

    public Task<Rollout?> GetAsync(string id, CancellationToken cancellationToken) =>
        FirstAsync("id = @id", cancellationToken, ("id", id));

    public async Task<IReadOnlyList<Rollout>> ListActiveAsync(CancellationToken cancellationToken) =>
        await QueryAsync($"{Active} ORDER BY started_at, seq", cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("""
            SELECT rollout_id, sequence, kind, step_index, weight, actor, reason, canary_requests, stable_requests, evidence_json, time
            FROM rollout_decisions WHERE rollout_id = @id ORDER BY sequence
            """).With("id", rolloutId);
        var list = new List<RolloutDecisionRecord>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new RolloutDecisionRecord
            {
                RolloutId = reader.GetString(0),
                Sequence = reader.GetInt64(1),
                Kind = reader.GetString(2),
                StepIndex = reader.GetInt32(3),
                Weight = reader.GetDouble(4),
                Actor = reader.GetString(5),
                Reason = reader.GetString(6),
                CanaryRequests = reader.GetInt64(7),
                StableRequests = reader.GetInt64(8),
                EvidenceJson = reader.StringOrNull(9),
                Time = ParseUtc(reader.GetString(10)),
            });
        }

        return list;
    }

    public async Task<bool> TryAcquireLeaseAsync(string app, string environment, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // One statement: insert, or take over when this holder already has it or the other holder's lease has expired.
        // ON CONFLICT … DO UPDATE … WHERE is atomic per row, so of two contenders at most one gets a row back.
        await using var cmd = connection.Command("""
            INSERT INTO rollout_leases (app, environment, holder, expires_at) VALUES (@app, @env, @holder, @expires)
            ON CONFLICT (app, environment) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE rollout_leases.holder = excluded.holder OR rollout_leases.expires_at <= @now
            """);
        cmd.With("app", app).With("env", environment).With("holder", holder).With("expires", Utc(now + duration)).With("now", Utc(now));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<ControllerLease?> LeaseAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("SELECT holder, expires_at FROM rollout_leases WHERE app = @app AND environment = @env")
            .With("app", app).With("env", environment);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ControllerLease(reader.GetString(0), ParseUtc(reader.GetString(1)))
            : null;
    }

    public async Task ReleaseLeaseAsync(string app, string environment, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command("DELETE FROM rollout_leases WHERE app = @app AND environment = @env AND holder = @holder")
            .With("app", app).With("env", environment).With("holder", holder);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // The caller holds the environment's lock, so the one-active check cannot be raced; the unique index
    // rollouts_one_active stays as the schema's own guarantee.
    private static async Task WriteRolloutAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Rollout r, long expectedVersion, CancellationToken cancellationToken)
    {
        if (r.IsActive)
        {
            await using var check = connection.Command($"SELECT EXISTS (SELECT 1 FROM rollouts WHERE app = @app AND environment = @env AND id <> @id AND {Active})", tx)
                .With("app", r.App).With("env", r.Environment).With("id", r.Id);
            if ((bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                throw StoreConflicts.ActiveRolloutExists(r.Environment);
            }
        }

        await using var cmd = connection.Command(expectedVersion == 0
            ? $"""
              INSERT INTO rollouts ({Columns}) VALUES (@id, @app, @env, @release, @baseline, @plan, @state, @step, @stepAt, @stepBase,
                  @seed, @startedAt, @startedBy, @reason, @forced, @endedAt, @endReason, @version)
              """
            : """
              UPDATE rollouts SET state = @state, step_index = @step, step_started_at = @stepAt, step_baseline_json = @stepBase,
                  ended_at = @endedAt, end_reason = @endReason, version = @version
              WHERE id = @id AND version = @expected
              """, tx);
        cmd.With("id", r.Id).With("app", r.App).With("env", r.Environment).With("release", r.ReleaseId).With("baseline", r.BaselineReleaseId)
            .With("plan", RolloutJson.Plan(r.Plan)).With("state", r.State).With("step", r.StepIndex).With("stepAt", Utc(r.StepStartedAt))
            .With("stepBase", RolloutJson.Baseline(r.StepCanaryBaseline, r.StepStableBaseline)).With("seed", r.Seed)
            .With("startedAt", Utc(r.StartedAt)).With("startedBy", r.StartedBy).With("reason", r.Reason).With("forced", r.Forced)
            .With("endedAt", r.EndedAt is { } e ? Utc(e) : null).With("endReason", r.EndReason).With("version", r.Version).With("expected", expectedVersion);
        if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw StoreConflicts.RolloutChanged(r.Id, expectedVersion);
        }
    }

    private async Task InsertDecisionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, RolloutDecisionRecord d, CancellationToken cancellationToken)
    {
        // Numbered under the rollout's lock: a transition and an appended note may race for the next sequence.
        await database.LockAsync(connection, tx, cancellationToken, "rollout", d.RolloutId).ConfigureAwait(false);
        await using var cmd = connection.Command("""
            INSERT INTO rollout_decisions (rollout_id, sequence, kind, step_index, weight, actor, reason, canary_requests, stable_requests, evidence_json, time)
            VALUES (@id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM rollout_decisions WHERE rollout_id = @id),
                    @kind, @step, @weight, @actor, @reason, @cn, @sn, @evidence, @time)
            """, tx);
        cmd.With("id", d.RolloutId).With("kind", d.Kind).With("step", d.StepIndex).With("weight", d.Weight).With("actor", d.Actor)
            .With("reason", d.Reason).With("cn", d.CanaryRequests).With("sn", d.StableRequests).With("evidence", d.EvidenceJson).With("time", Utc(d.Time));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Rollout?> FirstAsync(string where, CancellationToken cancellationToken, params (string Name, string Value)[] parameters) =>
        (await QueryAsync(where, cancellationToken, parameters).ConfigureAwait(false)).FirstOrDefault();

    private async Task<List<Rollout>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.Command($"SELECT {Columns} FROM rollouts WHERE {where}");
        foreach (var (name, value) in parameters)
        {
            cmd.With(name, value);
        }

        var list = new List<Rollout>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var (canaryBase, stableBase) = RolloutJson.ReadBaseline(reader.GetString(9));
            list.Add(new Rollout
            {
                Id = reader.GetString(0),
                App = reader.GetString(1),
                Environment = reader.GetString(2),
                ReleaseId = reader.GetString(3),
                BaselineReleaseId = reader.GetString(4),
                Plan = RolloutJson.ReadPlan(reader.GetString(5)),
                State = reader.GetString(6),
                StepIndex = reader.GetInt32(7),
                StepStartedAt = ParseUtc(reader.GetString(8)),
                StepCanaryBaseline = canaryBase,
                StepStableBaseline = stableBase,
                Seed = reader.GetString(10),
                StartedAt = ParseUtc(reader.GetString(11)),
                StartedBy = reader.GetString(12),
                Reason = reader.StringOrNull(13),
                Forced = reader.GetBoolean(14),
                EndedAt = reader.IsDBNull(15) ? null : ParseUtc(reader.GetString(15)),
                EndReason = reader.StringOrNull(16),
                Version = reader.GetInt64(17),
            });
        }

        return list;
    }
}
