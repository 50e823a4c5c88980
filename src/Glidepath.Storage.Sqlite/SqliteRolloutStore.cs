using System.Globalization;
using Glidepath.Errors;
using Glidepath.Rollouts;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Rollouts and their decisions. A transition is one BEGIN IMMEDIATE transaction: the environment's
/// compare-and-swap, the rollout row's version check and the decision insert commit together or not at all.
/// </summary>
internal sealed class SqliteRolloutStore(SqliteDatabase database) : IRolloutStore
{
    private const string Columns =
        "id, app, environment, release_id, baseline_release_id, plan_json, state, step_index, step_started_at, step_baseline_json, " +
        "seed, started_at, started_by, reason, forced, ended_at, end_reason, version";

    public async Task<Rollout> TransitionAsync(RolloutTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var rollout = transition.Rollout with { Version = transition.ExpectedVersion + 1 };
            await WriteRolloutAsync(connection, tx, rollout, transition.ExpectedVersion, cancellationToken).ConfigureAwait(false);
            await SqliteEnvironmentStore.CompareAndSwapAsync(connection, tx, transition.Environment, cancellationToken).ConfigureAwait(false);
            await InsertDecisionAsync(connection, tx, transition.Decision with { RolloutId = rollout.Id }, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return rollout;
        }
        catch (SqliteException ex)
        {
            throw new OperationalException($"cannot write rollout {transition.Rollout.Id} to the store at {database.Path}: {ex.Message}; nothing was written", ex);
        }
    }

    public async Task AppendDecisionAsync(RolloutDecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await InsertDecisionAsync(connection, tx, decision, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<Rollout?> EndExternallyAsync(Rollout ended, long expectedVersion, RolloutDecisionRecord decision, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        ArgumentNullException.ThrowIfNull(decision);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
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
        FirstAsync("app = $app AND environment = $env AND state IN ('progressing', 'paused')", cancellationToken, ("$app", app), ("$env", environment));

    public Task<Rollout?> LatestAsync(string app, string environment, CancellationToken cancellationToken) =>
        FirstAsync("app = $app AND environment = $env ORDER BY started_at DESC, rowid DESC LIMIT 1", cancellationToken, ("$app", app), ("$env", environment));

    public Task<Rollout?> GetAsync(string id, CancellationToken cancellationToken) =>
        FirstAsync("id = $id", cancellationToken, ("$id", id));

    public async Task<IReadOnlyList<Rollout>> ListActiveAsync(CancellationToken cancellationToken) =>
        await QueryAsync("state IN ('progressing', 'paused') ORDER BY started_at", cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT rollout_id, sequence, kind, step_index, weight, actor, reason, canary_requests, stable_requests, evidence_json, time
            FROM rollout_decisions WHERE rollout_id = $id ORDER BY sequence
            """;
        cmd.Parameters.AddWithValue("$id", rolloutId);
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
                EvidenceJson = reader.IsDBNull(9) ? null : reader.GetString(9),
                Time = SqliteEnvironmentStore.Parse(reader.GetString(10)),
            });
        }

        return list;
    }

    public async Task<bool> TryAcquireLeaseAsync(string app, string environment, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();

        // Insert, or take over when this holder already has it or the other holder's lease has expired.
        cmd.CommandText = """
            INSERT INTO rollout_leases (app, environment, holder, expires_at) VALUES ($app, $env, $holder, $expires)
            ON CONFLICT (app, environment) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE rollout_leases.holder = excluded.holder OR rollout_leases.expires_at <= $now
            """;
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        cmd.Parameters.AddWithValue("$holder", holder);
        cmd.Parameters.AddWithValue("$expires", SqliteEnvironmentStore.Format(now + duration));
        cmd.Parameters.AddWithValue("$now", SqliteEnvironmentStore.Format(now));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<ControllerLease?> LeaseAsync(string app, string environment, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT holder, expires_at FROM rollout_leases WHERE app = $app AND environment = $env";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ControllerLease(reader.GetString(0), SqliteEnvironmentStore.Parse(reader.GetString(1)))
            : null;
    }

    public async Task ReleaseLeaseAsync(string app, string environment, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "DELETE FROM rollout_leases WHERE app = $app AND environment = $env AND holder = $holder";
        cmd.Parameters.AddWithValue("$app", app);
        cmd.Parameters.AddWithValue("$env", environment);
        cmd.Parameters.AddWithValue("$holder", holder);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteRolloutAsync(SqliteConnection connection, SqliteTransaction tx, Rollout r, long expectedVersion, CancellationToken cancellationToken)
    {
        // Checked here, inside the write lock, rather than read back from the unique index's error message; the
        // index (rollouts_one_active) stays as the schema's own guarantee.
        if (r.IsActive && await OtherActiveExistsAsync(connection, tx, r, cancellationToken).ConfigureAwait(false))
        {
            throw StoreConflicts.ActiveRolloutExists(r.Environment);
        }

        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = expectedVersion == 0
            ? $"""
              INSERT INTO rollouts ({Columns}) VALUES ($id, $app, $env, $release, $baseline, $plan, $state, $step, $stepAt, $stepBase,
                  $seed, $startedAt, $startedBy, $reason, $forced, $endedAt, $endReason, $version)
              """
            : """
              UPDATE rollouts SET state = $state, step_index = $step, step_started_at = $stepAt, step_baseline_json = $stepBase,
                  ended_at = $endedAt, end_reason = $endReason, version = $version
              WHERE id = $id AND version = $expected
              """;
        cmd.Parameters.AddWithValue("$id", r.Id);
        cmd.Parameters.AddWithValue("$app", r.App);
        cmd.Parameters.AddWithValue("$env", r.Environment);
        cmd.Parameters.AddWithValue("$release", r.ReleaseId);
        cmd.Parameters.AddWithValue("$baseline", r.BaselineReleaseId);
        cmd.Parameters.AddWithValue("$plan", RolloutJson.Plan(r.Plan));
        cmd.Parameters.AddWithValue("$state", r.State);
        cmd.Parameters.AddWithValue("$step", r.StepIndex);
        cmd.Parameters.AddWithValue("$stepAt", SqliteEnvironmentStore.Format(r.StepStartedAt));
        cmd.Parameters.AddWithValue("$stepBase", RolloutJson.Baseline(r.StepCanaryBaseline, r.StepStableBaseline));
        cmd.Parameters.AddWithValue("$seed", r.Seed);
        cmd.Parameters.AddWithValue("$startedAt", SqliteEnvironmentStore.Format(r.StartedAt));
        cmd.Parameters.AddWithValue("$startedBy", r.StartedBy);
        cmd.Parameters.AddWithValue("$reason", (object?)r.Reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$forced", r.Forced ? 1 : 0);
        cmd.Parameters.AddWithValue("$endedAt", r.EndedAt is { } e ? SqliteEnvironmentStore.Format(e) : DBNull.Value);
        cmd.Parameters.AddWithValue("$endReason", (object?)r.EndReason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$version", r.Version);
        cmd.Parameters.AddWithValue("$expected", expectedVersion);
        if (await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            throw StoreConflicts.RolloutChanged(r.Id, expectedVersion);
        }
    }

    private static async Task<bool> OtherActiveExistsAsync(SqliteConnection connection, SqliteTransaction tx, Rollout r, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM rollouts WHERE app = $app AND environment = $env AND id <> $id AND state IN ($progressing, $paused))";
        cmd.Parameters.AddWithValue("$app", r.App);
        cmd.Parameters.AddWithValue("$env", r.Environment);
        cmd.Parameters.AddWithValue("$id", r.Id);
        cmd.Parameters.AddWithValue("$progressing", RolloutState.Progressing);
        cmd.Parameters.AddWithValue("$paused", RolloutState.Paused);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 0;
    }

    private static async Task InsertDecisionAsync(SqliteConnection connection, SqliteTransaction tx, RolloutDecisionRecord d, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO rollout_decisions (rollout_id, sequence, kind, step_index, weight, actor, reason, canary_requests, stable_requests, evidence_json, time)
            VALUES ($id, (SELECT COALESCE(MAX(sequence), 0) + 1 FROM rollout_decisions WHERE rollout_id = $id),
                    $kind, $step, $weight, $actor, $reason, $cn, $sn, $evidence, $time)
            """;
        cmd.Parameters.AddWithValue("$id", d.RolloutId);
        cmd.Parameters.AddWithValue("$kind", d.Kind);
        cmd.Parameters.AddWithValue("$step", d.StepIndex);
        cmd.Parameters.AddWithValue("$weight", d.Weight);
        cmd.Parameters.AddWithValue("$actor", d.Actor);
        cmd.Parameters.AddWithValue("$reason", d.Reason);
        cmd.Parameters.AddWithValue("$cn", d.CanaryRequests);
        cmd.Parameters.AddWithValue("$sn", d.StableRequests);
        cmd.Parameters.AddWithValue("$evidence", (object?)d.EvidenceJson ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$time", SqliteEnvironmentStore.Format(d.Time));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Rollout?> FirstAsync(string where, CancellationToken cancellationToken, params (string Name, string Value)[] parameters) =>
        (await QueryAsync(where, cancellationToken, parameters).ConfigureAwait(false)).FirstOrDefault();

    private async Task<List<Rollout>> QueryAsync(string where, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM rollouts WHERE {where}";
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
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
                StepStartedAt = SqliteEnvironmentStore.Parse(reader.GetString(8)),
                StepCanaryBaseline = canaryBase,
                StepStableBaseline = stableBase,
                Seed = reader.GetString(10),
                StartedAt = SqliteEnvironmentStore.Parse(reader.GetString(11)),
                StartedBy = reader.GetString(12),
                Reason = reader.IsDBNull(13) ? null : reader.GetString(13),
                Forced = reader.GetInt64(14) != 0,
                EndedAt = reader.IsDBNull(15) ? null : SqliteEnvironmentStore.Parse(reader.GetString(15)),
                EndReason = reader.IsDBNull(16) ? null : reader.GetString(16),
                Version = reader.GetInt64(17),
            });
        }

        return list;
    }
}
