using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Rollouts: transitions commit with the environment's compare-and-swap or not at all; one controller lease per environment.</summary>
public abstract class RolloutStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    internal static Rollout NewRollout(string id = "r1", DateTimeOffset? startedAt = null) => new()
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
        StartedAt = startedAt ?? T0,
        StartedBy = "ana",
    };

    internal static RolloutTransition Transition(Rollout rollout, long expectedVersion, long expectedRevision, CanaryState? canary, string kind) => new()
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

    internal static async Task<long> SeedStableAsync(IGlidepathStore store)
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

    private Task<Rollout> StartAsync(long revision, string id = "r1") =>
        Store.Rollouts.TransitionAsync(Transition(NewRollout(id), 0, revision, new CanaryState("canary-id", 1, "seed1"), RolloutEventKinds.Started), None);

    [Fact]
    public async Task TransitionAsync_Start_WritesRolloutCanaryEventAndDecisionTogether()
    {
        var revision = await SeedStableAsync(Store);

        var written = await StartAsync(revision);

        Assert.Equal(1, written.Version);
        var read = await Store.Rollouts.ActiveAsync("app", "production", None);
        Assert.NotNull(read);
        Assert.Equal(1.25, read.Plan.Metrics["latency"].MaxRatio);
        Assert.Equal(7, read.StepStableBaseline.Requests);
        Assert.Equal(1.5, read.StepStableBaseline.LogLatencySum);
        Assert.Equal((1.0, 1L, "seed1", T0), (read.Weight, read.Version, read.Seed, read.StartedAt));
        var env = await Store.Environments.GetAsync("app", "production", None);
        Assert.Equal(new CanaryState("canary-id", 1, "seed1"), env.Canary);
        Assert.Equal(RolloutEventKinds.Started, (await Store.Environments.HistoryAsync("app", "production", None))[^1].Kind);
        var decision = Assert.Single(await Store.Rollouts.DecisionsAsync("r1", None));
        Assert.Equal((1L, "r1", "[]"), (decision.Sequence, decision.RolloutId, decision.EvidenceJson));
    }

    [Fact]
    public async Task TransitionAsync_EnvironmentChangedSinceRead_RefusedAndNothingWritten()
    {
        var revision = await SeedStableAsync(Store);
        var started = await StartAsync(revision);

        // The controller read revision 2; a manual change moves the environment to revision 3 before it writes.
        var manual = await Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = "app",
            Environment = "production",
            ExpectedRevision = revision + 1,
            NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = "stable-id" },
            Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = "rollback", Actor = "bob", Time = T0 },
        }, None);
        var advance = Transition(started with { StepIndex = 1 }, started.Version, revision + 1, new CanaryState("canary-id", 5, "s"), RolloutEventKinds.Step);

        await Assert.ThrowsAsync<PolicyException>(() => Store.Rollouts.TransitionAsync(advance, None));

        Assert.Null((await Store.Environments.GetAsync("app", "production", None)).Canary);
        Assert.Equal(manual.Revision, await Store.Environments.GetRevisionAsync("app", "production", None));
        var unchanged = await Store.Rollouts.GetAsync("r1", None);
        Assert.Equal((0, 1L), (unchanged!.StepIndex, unchanged.Version));
        Assert.Single(await Store.Rollouts.DecisionsAsync("r1", None));
    }

    [Fact]
    public async Task TransitionAsync_SameVersionAppliedTwice_SecondRefused()
    {
        var revision = await SeedStableAsync(Store);
        var started = await StartAsync(revision);
        var step = Transition(started with { StepIndex = 1 }, started.Version, revision + 1, new CanaryState("canary-id", 5, "s"), RolloutEventKinds.Step);
        await Store.Rollouts.TransitionAsync(step, None);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => Store.Rollouts.TransitionAsync(step with { Environment = step.Environment with { ExpectedRevision = revision + 2 } }, None));

        Assert.Equal("rollout r1 changed since it was read (version 1); re-run the command", ex.Message);
        Assert.Single(await Store.Environments.HistoryAsync("app", "production", None), e => e.Kind == RolloutEventKinds.Step);
        Assert.Equal(revision + 2, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    [Fact]
    public async Task TransitionAsync_SecondActiveRolloutInEnvironment_RefusedWithPolicyException()
    {
        var revision = await SeedStableAsync(Store);
        await StartAsync(revision, "r1");

        var ex = await Assert.ThrowsAsync<PolicyException>(() => StartAsync(revision + 1, "r2"));

        Assert.Equal("environment 'production' already has an active rollout; see: glidepath rollout status --env production", ex.Message);
        Assert.Null(await Store.Rollouts.GetAsync("r2", None));
        Assert.Equal(revision + 1, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    [Fact]
    public async Task TransitionAsync_AfterTheFirstEnded_ANewRolloutMayStart()
    {
        var revision = await SeedStableAsync(Store);
        var first = await StartAsync(revision, "r1");
        await Store.Rollouts.TransitionAsync(Transition(first with { State = RolloutState.Aborted, EndedAt = T0.AddMinutes(1), EndReason = "wrong" }, 1, revision + 1, null, RolloutEventKinds.Aborted), None);

        var second = await StartAsync(revision + 2, "r2");

        Assert.Equal("r2", (await Store.Rollouts.ActiveAsync("app", "production", None))!.Id);
        Assert.Equal(["r2"], (await Store.Rollouts.ListActiveAsync(None)).Select(r => r.Id));
        Assert.Equal(1, second.Version);
    }

    [Fact]
    public async Task TransitionAsync_Update_ChangesTheStateNotWhatTheRolloutIs()
    {
        var revision = await SeedStableAsync(Store);
        var started = await StartAsync(revision);
        var moved = started with
        {
            StepIndex = 2,
            StepStartedAt = T0.AddMinutes(9),
            StepCanaryBaseline = new ArmSample { Requests = 40 },
            State = RolloutState.Paused,
            Seed = "other-seed",
            Reason = "rewritten",
            Plan = new RolloutPlan { Steps = [50, 100] },
        };

        var written = await Store.Rollouts.TransitionAsync(Transition(moved, 1, revision + 1, new CanaryState("canary-id", 25, "seed1"), RolloutEventKinds.Step), None);
        var read = await Store.Rollouts.GetAsync("r1", None);

        Assert.Equal(2, written.Version);
        Assert.Equal((2, T0.AddMinutes(9), 40L, RolloutState.Paused, 2L), (read!.StepIndex, read.StepStartedAt, read.StepCanaryBaseline.Requests, read.State, read.Version));
        Assert.Equal(("seed1", (string?)null, 5), (read.Seed, read.Reason, read.Plan.Steps.Count));
    }

    [Fact]
    public async Task TransitionAsync_InvalidEnvironmentChange_ThrowsArgumentExceptionAndWritesNothing()
    {
        var revision = await SeedStableAsync(Store);

        await Assert.ThrowsAsync<ArgumentException>(() =>
            Store.Rollouts.TransitionAsync(Transition(NewRollout(), 0, revision, new CanaryState("canary-id", 101, "seed1"), RolloutEventKinds.Started), None));

        Assert.Null(await Store.Rollouts.GetAsync("r1", None));
        Assert.Equal(revision, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    [Fact]
    public async Task EndExternallyAsync_AtTheExpectedVersion_EndsAndLogs_StaleVersion_WritesNothing()
    {
        var revision = await SeedStableAsync(Store);
        var started = await StartAsync(revision);
        var ended = started with { State = RolloutState.RolledBack, EndedAt = T0.AddMinutes(3), EndReason = "'rollback' by bob" };
        var decision = new RolloutDecisionRecord { RolloutId = "ignored", Kind = RolloutDecisionKinds.EndedExternally, StepIndex = 0, Weight = 1, Actor = "controller", Reason = "ended", Time = T0 };

        Assert.Null(await Store.Rollouts.EndExternallyAsync(ended, 7, decision, None));
        var done = await Store.Rollouts.EndExternallyAsync(ended, 1, decision, None);

        Assert.Equal(2, done!.Version);
        Assert.Null(await Store.Rollouts.ActiveAsync("app", "production", None));
        var read = await Store.Rollouts.GetAsync("r1", None);
        Assert.Equal((RolloutState.RolledBack, (DateTimeOffset?)T0.AddMinutes(3)), (read!.State, read.EndedAt));
        Assert.Equal([(RolloutEventKinds.Started, 1L, "r1"), (RolloutDecisionKinds.EndedExternally, 2L, "r1")], (await Store.Rollouts.DecisionsAsync("r1", None)).Select(d => (d.Kind, d.Sequence, d.RolloutId)));
        Assert.Equal(revision + 1, await Store.Environments.GetRevisionAsync("app", "production", None));
    }

    [Fact]
    public async Task AppendDecisionAsync_NumbersDecisionsInOrder_UnknownRolloutRefused()
    {
        var revision = await SeedStableAsync(Store);
        await StartAsync(revision);
        var hold = new RolloutDecisionRecord { RolloutId = "r1", Kind = RolloutDecisionKinds.Hold, StepIndex = 0, Weight = 1, Actor = "controller", Reason = "inconclusive", Time = T0.AddMinutes(1), CanaryRequests = 3, StableRequests = 40 };

        await Store.Rollouts.AppendDecisionAsync(hold, None);
        await StoreAssert.RefusedAsync(() => Store.Rollouts.AppendDecisionAsync(hold with { RolloutId = "nope" }, None));

        var log = await Store.Rollouts.DecisionsAsync("r1", None);
        Assert.Equal([1L, 2L], log.Select(d => d.Sequence));
        Assert.Equal((3L, 40L, "inconclusive", T0.AddMinutes(1)), (log[1].CanaryRequests, log[1].StableRequests, log[1].Reason, log[1].Time));
        Assert.Empty(await Store.Rollouts.DecisionsAsync("nope", None));
    }

    [Fact]
    public async Task LatestAsync_MostRecentlyStarted_InAnyState()
    {
        var revision = await SeedStableAsync(Store);
        var first = await StartAsync(revision, "r1");
        await Store.Rollouts.TransitionAsync(Transition(first with { State = RolloutState.Aborted }, 1, revision + 1, null, RolloutEventKinds.Aborted), None);
        await Store.Rollouts.TransitionAsync(Transition(NewRollout("r2", startedAt: T0.AddHours(1)) with { State = RolloutState.Aborted }, 0, revision + 2, null, RolloutEventKinds.Aborted), None);

        Assert.Equal("r2", (await Store.Rollouts.LatestAsync("app", "production", None))!.Id);
        Assert.Null(await Store.Rollouts.LatestAsync("app", "staging", None));
        Assert.Null(await Store.Rollouts.ActiveAsync("app", "production", None));
        Assert.Empty(await Store.Rollouts.ListActiveAsync(None));
    }

    [Fact]
    public async Task TryAcquireLeaseAsync_HeldByAnother_RefusedUntilItExpires()
    {
        var leases = Store.Rollouts;
        var ttl = TimeSpan.FromSeconds(15);

        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0, None));
        Assert.False(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(10), None));
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0.AddSeconds(10), None));
        Assert.False(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(20), None));
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-b", ttl, T0.AddSeconds(25), None));
        await leases.ReleaseLeaseAsync("app", "production", "gw-b", None);
        Assert.True(await leases.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0.AddSeconds(27), None));
    }

    [Fact]
    public async Task LeaseAsync_AsLastWritten_GoneOnlyWhenItsHolderGivesItUp()
    {
        var ttl = TimeSpan.FromSeconds(15);
        Assert.Null(await Store.Rollouts.LeaseAsync("app", "production", None));
        await Store.Rollouts.TryAcquireLeaseAsync("app", "production", "gw-a", ttl, T0, None);

        await Store.Rollouts.ReleaseLeaseAsync("app", "production", "gw-b", None);
        var lease = await Store.Rollouts.LeaseAsync("app", "production", None);

        Assert.Equal(new ControllerLease("gw-a", T0 + ttl), lease);
        Assert.False(lease!.IsHeldAt(T0 + ttl));
        Assert.Null(await Store.Rollouts.LeaseAsync("app", "staging", None));
        await Store.Rollouts.ReleaseLeaseAsync("app", "production", "gw-a", None);
        Assert.Null(await Store.Rollouts.LeaseAsync("app", "production", None));
    }
}
