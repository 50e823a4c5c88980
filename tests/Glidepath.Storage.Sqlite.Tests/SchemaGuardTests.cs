using Glidepath.Environments;
using Glidepath.Evals;
using Glidepath.Monitoring;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// What the SQLite schema itself refuses, whoever writes to the file: history and evidence are append-only (triggers),
/// at most one rollout is active per environment (a unique index). The behaviour every store shares is in the
/// contract suite (tests/Glidepath.Storage.Contract.Tests).
/// </summary>
public sealed class SchemaGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("UPDATE releases SET canonical_json = '{}'", "releases are immutable")]
    [InlineData("DELETE FROM releases", "releases are immutable")]
    [InlineData("UPDATE release_provenance SET dirty = 0", "release provenance is append-only")]
    [InlineData("DELETE FROM release_provenance", "release provenance is append-only")]
    [InlineData("UPDATE environment_events SET reason = 'rewritten'", "environment history is append-only")]
    [InlineData("DELETE FROM environment_events", "environment history is append-only")]
    [InlineData("UPDATE gate_verdicts SET result = 'pass'", "gate verdicts are immutable")]
    [InlineData("DELETE FROM gate_verdicts", "gate verdicts are immutable")]
    [InlineData("UPDATE rollout_decisions SET reason = 'edited'", "rollout decisions are append-only")]
    [InlineData("DELETE FROM rollout_decisions", "rollout decisions are append-only")]
    [InlineData("DELETE FROM monitor_alerts", "monitor alerts are append-only")]
    [InlineData("UPDATE store_identity SET subject_key = '00'", "the store identity never changes")]
    [InlineData("DELETE FROM store_identity", "the store identity never changes")]
    [InlineData("INSERT INTO rollouts SELECT 'r2', app, environment, release_id, baseline_release_id, plan_json, 'paused', step_index, step_started_at, step_baseline_json, seed, started_at, started_by, reason, forced, ended_at, end_reason, version FROM rollouts", "UNIQUE constraint failed: rollouts.app, rollouts.environment")]
    public async Task DirectSql_ThatRewritesHistoryOrBreaksAnInvariant_IsAborted(string sql, string refusal)
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await WriteOneOfEverythingAsync(tmp.Store);
        await using var connection = await tmp.Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;

        var ex = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Contains(refusal, ex.Message, StringComparison.Ordinal);
        Assert.Equal("because", (await tmp.Store.Environments.HistoryAsync("app", "production", CancellationToken.None))[0].Reason);
        Assert.False((await tmp.Store.GateVerdicts.LatestAsync("app", "v3", "v2", CancellationToken.None))!.Passed);
    }

    private static async Task WriteOneOfEverythingAsync(SqliteStore store)
    {
        var none = CancellationToken.None;
        await store.Releases.RegisterAsync(new ReleaseDraft { Id = "aaa", App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = T0, Dirty = true }, none);
        var state = await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "app",
            Environment = "production",
            ExpectedRevision = 0,
            NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = "stable-id" },
            Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = "deploy", Actor = "ana", Reason = "because", Time = T0 },
        }, none);
        await store.GateVerdicts.SaveAsync(new GateVerdictRecord("g1", "app", "v3", "v2", "d5", "blocked", null, T0, "{}"), none);
        var rollout = new Rollout
        {
            Id = "r1",
            App = "app",
            Environment = "production",
            ReleaseId = "canary-id",
            BaselineReleaseId = "stable-id",
            Plan = new Manifests.RolloutPlan(),
            State = RolloutState.Progressing,
            StepIndex = 0,
            StepStartedAt = T0,
            Seed = "s",
            StartedAt = T0,
            StartedBy = "ana",
        };
        await store.Rollouts.TransitionAsync(new RolloutTransition
        {
            Rollout = rollout,
            ExpectedVersion = 0,
            Environment = new EnvironmentChange
            {
                App = "app",
                Environment = "production",
                ExpectedRevision = state.Revision,
                NewState = state with { Canary = new CanaryState("canary-id", 1, "s") },
                Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = RolloutEventKinds.Started, Actor = "ana", Time = T0 },
            },
            Decision = new RolloutDecisionRecord { RolloutId = "r1", Kind = "start", StepIndex = 0, Weight = 1, Actor = "ana", Reason = "start", Time = T0 },
        }, none);
        await store.Monitor.SaveAlertAsync(new DriftAlert
        {
            Id = "a1",
            App = "app",
            Environment = "production",
            ReleaseId = "stable-id",
            Metric = "latency",
            RaisedAt = T0,
            Windows = new DriftWindows(T0.AddDays(-7), T0.AddDays(-1), T0.AddHours(-1), T0),
            Evidence = new MetricEvidence { Metric = "latency", Scale = "ratio", CanaryN = 1, StableN = 1, Tolerance = 1.25, ToleranceText = "x1.25", Verdict = "harm", Alpha = 0.05 },
            Message = "drifted",
        }, none);
    }
}
