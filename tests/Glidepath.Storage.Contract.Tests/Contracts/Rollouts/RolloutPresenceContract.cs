using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// A controller serving one environment holds its lease with no rollout active there, so a running controller is seen
/// before any rollout: <c>rollout start</c> names it as the judge and warns only when none runs. The README demo warned
/// "nobody is judging this rollout" right after a start although its gateways' controllers ran: they took the lease only
/// once a rollout was active.
/// </summary>
public abstract class RolloutPresenceContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly TimeSpan Lease = new RolloutControllerOptions { Holder = "x" }.LeaseDuration;

    private static RolloutController Controller(RolloutFixture f, string holder, List<string>? notes = null) =>
        new(f.Store.Rollouts, f.Store.Environments, f.Store.Traces, f.Time, new RolloutControllerOptions { Holder = holder, App = "app", Environment = "production" })
        {
            LeaseChanged = notes is null ? null : notes.Add,
        };

    private static Task<Rollout> StartAsync(RolloutFixture f) =>
        f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);

    // The fixture's releases carry no content; the start's notes read the release's model (its provider's retries).
    private static readonly Releases.Release V2WithContent = RolloutFixture.V2 with
    {
        CanonicalJson = """{"model":{"provider":"sim","name":"m"},"prompt":{"system":"s.md"},"tools":[],"content":{"s.md":{"text":"s"}}}""",
    };

    private static Task<ControllerLease?> LeaseAsync(RolloutFixture f) => f.Store.Rollouts.LeaseAsync("app", "production", None);

    [Fact]
    public async Task TickAsync_NoActiveRollout_TakesAndRenewsItsEnvironmentsLease()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var controller = Controller(f, "gw-a");

        Assert.Empty(await controller.TickAsync(None));
        var taken = await LeaseAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(20));
        await controller.TickAsync(None);
        var renewed = await LeaseAsync(f);

        Assert.Equal("gw-a", taken?.Holder);
        Assert.Equal(f.Time.GetUtcNow() - TimeSpan.FromSeconds(20) + Lease, taken!.ExpiresAt);
        Assert.Equal("gw-a", renewed?.Holder);
        Assert.Equal(f.Time.GetUtcNow() + Lease, renewed!.ExpiresAt);
    }

    [Fact]
    public async Task TickAsync_NoActiveRollout_OneHoldsTheLease_TheOtherStandsByAndTakesOverOnlyAfterItExpires()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var notes = new List<string>();
        var (a, b) = (Controller(f, "gw-a"), Controller(f, "gw-b", notes));

        await a.TickAsync(None);
        await b.TickAsync(None);
        f.Time.Advance(Lease - TimeSpan.FromSeconds(1));
        await b.TickAsync(None);
        var beforeExpiry = await LeaseAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await b.TickAsync(None);

        Assert.Equal("gw-a", beforeExpiry?.Holder);
        Assert.Equal("gw-b", (await LeaseAsync(f))?.Holder);
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("On standby for app@production: gw-a holds the lease and judges the rollouts started there", notes[0]);
        Assert.StartsWith("Controlling app@production: this controller (gw-b) holds its lease; no rollout is active there", notes[1]);
    }

    [Fact]
    public async Task TickAsync_ControllerOfEveryEnvironment_NoActiveRollout_TakesNoLease()
    {
        var f = await RolloutFixture.CreateAsync(Store);

        await f.Controller("gw-all").TickAsync(None);

        Assert.Null(await LeaseAsync(f));
    }

    [Fact]
    public async Task ReleaseLeasesAsync_NoActiveRollout_GivesTheEnvironmentsLeaseUp()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var controller = Controller(f, "gw-a");
        await controller.TickAsync(None);

        await controller.ReleaseLeasesAsync(None);

        Assert.Null(await LeaseAsync(f));
    }

    [Fact]
    public async Task StartNoteAsync_AfterAControllerPass_NamesItAsTheJudgeAndWarnsOfNothingUnjudged()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        await Controller(f, "gw-a").TickAsync(None);
        f.Time.Advance(TimeSpan.FromSeconds(5));

        var rollout = await StartAsync(f);
        var (note, judgedBy) = await f.Service.StartNoteAsync(rollout, V2WithContent, None);

        Assert.Equal("gw-a", judgedBy);
        Assert.DoesNotContain("no controller holds", note ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartNoteAsync_TheControllerStoppedRenewing_WarnsThatNobodyIsJudgingAndNamesNoJudge()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        await Controller(f, "gw-a").TickAsync(None);
        f.Time.Advance(Lease + TimeSpan.FromSeconds(1));

        var rollout = await StartAsync(f);
        var (note, judgedBy) = await f.Service.StartNoteAsync(rollout, V2WithContent, None);

        Assert.Null(judgedBy);
        Assert.Contains("warning: no controller holds the lease of production (the last, gw-a's, expired 1s ago", note, StringComparison.Ordinal);
        Assert.Contains("so nobody is judging this rollout", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TickAsync_RolloutStartedUnderItsLease_JudgesItAtOnceWithNoTakeoverWait()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var notes = new List<string>();
        var controller = Controller(f, "gw-a", notes);
        await controller.TickAsync(None);
        await StartAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);

        var done = await controller.TickAsync(None);

        Assert.Contains("advancing 1% → 5%", Assert.Single(done).Text, StringComparison.Ordinal);
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("Controlling the rollout ro-", notes[1]);
    }

    // Holding the lease before the start must not hide a takeover: the holder dying during the rollout still makes its
    // successor wait for the traces that may be on their way.
    [Fact]
    public async Task TickAsync_HolderDiesAfterTheStart_TheStandbyTakesOverAndWaitsTheSettleWindowBeforeAdvancing()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var (a, b) = (Controller(f, "gw-a"), Controller(f, "gw-b"));
        await a.TickAsync(None);
        await b.TickAsync(None);
        var rollout = await StartAsync(f);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await a.TickAsync(None);

        f.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 400);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 800);
        var done = await b.TickAsync(None);

        Assert.Equal("gw-b", (await LeaseAsync(f))?.Holder);
        Assert.Equal(1, (await f.StateAsync()).Canary!.Weight);
        Assert.Equal(RolloutDecisionKinds.Settling, (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1].Kind);
        Assert.Contains("took over the lease of gw-a", Assert.Single(done).Text, StringComparison.Ordinal);
    }
}
