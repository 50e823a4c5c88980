using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteRolloutStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static Rollout NewRollout(string id = "r1") => new()
    {
        Id = id,
        App = "app",
        Environment = "production",
        ReleaseId = "canary-id",
        BaselineReleaseId = "stable-id",
        Plan = new RolloutPlan { Metrics = new Dictionary<string, MetricTolerance> { ["latency"] = new() { MaxRatio = 1.25 } } },
        State = RolloutState.Progressing,
        StepIndex = 0,
        StepStartedAt = T0,
        StepStableBaseline = new ArmSample { Requests = 7, LogLatencySum = 1.5 },
        Seed = "seed1",
        StartedAt = T0,
        StartedBy = "ana",
    };

    private static RolloutTransition Transition(Rollout rollout, long expectedVersion, long expectedRevision, CanaryState? canary, string kind) => new()
    {
        Rollout = rollout,
        ExpectedVersion = expectedVersion,
        Environment = new EnvironmentChange
        {
            App = "app",
            Environment = "production",
            ExpectedRevision = expectedRevision,
            NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = "stable-id", Canary = canary },
            Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = kind, Actor = "ana", Time = T0 },
        },
        Decision = new RolloutDecisionRecord { RolloutId = rollout.Id, Kind = kind, StepIndex = rollout.StepIndex, Weight = rollout.Weight, Actor = "ana", Reason = kind, Time = T0, EvidenceJson = "[]" },
    };

    private static async Task<long> SeedStableAsync(SqliteStore store)
    {
        var state = await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "app",
            Environment = "production",
            ExpectedRevision = 0,
            NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = "stable-id" },
            Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = "deploy", Actor = "ana", Time = T0 },
        }, CancellationToken.None);
        return state.Revision;
    }

    [Fact]
    public async Task TransitionAsync_Start_WritesRolloutCanaryEventAndDecisionTogether()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var revision = await SeedStableAsync(tmp.Store);

        var written = await tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout(), 0, revision, new CanaryState("canary-id", 1, "seed1"), RolloutEventKinds.Started), CancellationToken.None);

        Assert.Equal(1, written.Version);
        var read = await tmp.Store.Rollouts.ActiveAsync("app", "production", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(1.25, read.Plan.Metrics["latency"].MaxRatio);
        Assert.Equal(7, read.StepStableBaseline.Requests);
        Assert.Equal(1, read.Weight);
        var env = await tmp.Store.Environments.GetAsync("app", "production", CancellationToken.None);
        Assert.Equal(new CanaryState("canary-id", 1, "seed1"), env.Canary);
        Assert.Equal(RolloutEventKinds.Started, (await tmp.Store.Environments.HistoryAsync("app", "production", CancellationToken.None))[^1].Kind);
        var decision = Assert.Single(await tmp.Store.Rollouts.DecisionsAsync("r1", CancellationToken.None));
        Assert.Equal(1, decision.Sequence);
    }

    [Fact]
    public async Task TransitionAsync_EnvironmentChangedSinceRead_RefusedAndNothingWritten()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var revision = await SeedStableAsync(tmp.Store);
        var started = await tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout(), 0, revision, new CanaryState("canary-id", 1, "s"), RolloutEventKinds.Started), CancellationToken.None);

        // The controller read revision 2; a manual change moves the environment to revision 3 before it writes.
        var manual = await tmp.Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "app",
            Environment = "production",
            ExpectedRevision = revision + 1,
            NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = "stable-id" },
            Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = "rollback", Actor = "bob", Time = T0 },
        }, CancellationToken.None);
        var advance = Transition(started with { StepIndex = 1 }, started.Version, revision + 1, new CanaryState("canary-id", 5, "s"), RolloutEventKinds.Step);

        await Assert.ThrowsAsync<PolicyException>(() => tmp.Store.Rollouts.TransitionAsync(advance, CancellationToken.None));

        Assert.Null((await tmp.Store.Environments.GetAsync("app", "production", CancellationToken.None)).Canary);
        Assert.Equal(manual.Revision, await tmp.Store.Environments.GetRevisionAsync("app", "production", CancellationToken.None));
        Assert.Equal(0, (await tmp.Store.Rollouts.GetAsync("r1", CancellationToken.None))!.StepIndex);
        Assert.Single(await tmp.Store.Rollouts.DecisionsAsync("r1", CancellationToken.None));
    }

    [Fact]
    public async Task TransitionAsync_SameVersionAppliedTwice_SecondRefused()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var revision = await SeedStableAsync(tmp.Store);
        var started = await tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout(), 0, revision, new CanaryState("canary-id", 1, "s"), RolloutEventKinds.Started), CancellationToken.None);
        var step = Transition(started with { StepIndex = 1 }, started.Version, revision + 1, new CanaryState("canary-id", 5, "s"), RolloutEventKinds.Step);
        await tmp.Store.Rollouts.TransitionAsync(step, CancellationToken.None);

        await Assert.ThrowsAsync<PolicyException>(() => tmp.Store.Rollouts.TransitionAsync(step with { Environment = step.Environment with { ExpectedRevision = revision + 2 } }, CancellationToken.None));

        var history = await tmp.Store.Environments.HistoryAsync("app", "production", CancellationToken.None);
        Assert.Single(history, e => e.Kind == RolloutEventKinds.Step);
    }

    [Fact]
    public async Task TransitionAsync_SecondActiveRolloutInEnvironment_RefusedWithPolicyException()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var revision = await SeedStableAsync(tmp.Store);
        await tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout("r1"), 0, revision, new CanaryState("canary-id", 1, "s"), RolloutEventKinds.Started), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout("r2"), 0, revision + 1, new CanaryState("canary-id", 1, "s"), RolloutEventKinds.Started), CancellationToken.None));

        Assert.Contains("already has an active rollout", ex.Message);
    }

    [Fact]
    public async Task Decisions_UpdateOrDelete_RejectedByTrigger()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var revision = await SeedStableAsync(tmp.Store);
        await tmp.Store.Rollouts.TransitionAsync(Transition(NewRollout(), 0, revision, new CanaryState("canary-id", 1, "s"), RolloutEventKinds.Started), CancellationToken.None);
        await using var connection = await tmp.Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE rollout_decisions SET reason = 'edited'";

        var ex = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Contains("append-only", ex.Message);
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnother_RefusedUntilItExpires()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var leases = tmp.Store.Rollouts;
        var ttl = TimeSpan.FromSeconds(15);

        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0, CancellationToken.None));
        Assert.False(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(10), CancellationToken.None));
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0.AddSeconds(10), CancellationToken.None));
        Assert.False(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(20), CancellationToken.None));
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(26), CancellationToken.None));
        await leases.ReleaseLeaseAsync("app", "production", "gw-b", CancellationToken.None);
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0.AddSeconds(27), CancellationToken.None));
    }
}
