using Glidepath.Errors;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>
/// A rollout whose canary someone else removed (a manual rollback) ends as ended_externally, keeping the judge's last
/// view of the step as evidence, best effort as an abort does.
/// </summary>
public abstract class RolloutEndedExternallyContract(IStoreFactory factory) : StoreContract(factory)
{
    private static async Task<(RolloutFixture F, Rollout Rollout)> RolledBackByHandAsync(IGlidepathStore store)
    {
        var f = await RolloutFixture.CreateAsync(store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.TrafficAsync(RolloutFixture.V2.Id, Arm.Canary, 600, errorRate: 0.10);
        await f.TrafficAsync(RolloutFixture.V1.Id, Arm.Stable, 6000);
        await f.Environments.RollbackAsync("production", null, "bob", "errors on the dashboard", None);
        return (f, rollout);
    }

    [Fact]
    public async Task TickAsync_CanaryRemovedByHand_EndedExternallyKeepsTheJudgesEvidence()
    {
        var (f, rollout) = await RolledBackByHandAsync(Store);

        await f.Controller().TickAsync(None);

        var ended = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.EndedExternally, ended.Kind);
        Assert.Equal(600, ended.CanaryRequests);
        Assert.Equal(6000, ended.StableRequests);
        var errors = Assert.Single(RolloutJson.ReadEvidence(ended.EvidenceJson), e => e.Metric == "error_rate");
        Assert.Equal(600, errors.CanaryN);
        Assert.Equal("harm", errors.Verdict);
        Assert.Equal(RolloutCauses.External, DecisionView.From(ended, rollout.Plan).Cause);
        Assert.DoesNotContain("could not be read", ended.Reason);
    }

    [Fact]
    public async Task AbortAsync_CanaryRemovedByHand_EndedExternallyKeepsTheJudgesEvidence()
    {
        var (f, rollout) = await RolledBackByHandAsync(Store);

        await Assert.ThrowsAsync<PolicyException>(() => f.Service.AbortAsync("production", "ana", null, None));

        var ended = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.EndedExternally, ended.Kind);
        Assert.Equal(600, Assert.Single(RolloutJson.ReadEvidence(ended.EvidenceJson), e => e.Metric == "error_rate").CanaryN);
    }

    [Fact]
    public async Task TickAsync_CanaryRemovedByHandAndTracesUnreadable_EndsAnywayAndSaysTheEvidenceIsMissing()
    {
        var (f, rollout) = await RolledBackByHandAsync(Store);
        var controller = new RolloutController(f.Store.Rollouts, f.Store.Environments, new UnreadableArmStats(f.Store.Traces), f.Time, new RolloutControllerOptions { Holder = "gw-a" });

        await controller.TickAsync(None);

        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        var ended = (await f.Store.Rollouts.DecisionsAsync(rollout.Id, None))[^1];
        Assert.Equal(RolloutDecisionKinds.EndedExternally, ended.Kind);
        Assert.Null(ended.EvidenceJson);
        Assert.EndsWith($"(the judge's evidence of the step could not be read: {UnreadableArmStats.Error})", ended.Reason);
    }

    // Trial dash2 #4: the rollback's history event named only the canary it cleared, not the rollout it ended.
    [Fact]
    public async Task RollbackAsync_DuringARollout_NamesTheRolloutInTheEventAndEndsIt()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        var rollout = await f.Service.StartAsync("production", RolloutFixture.V2, RolloutFixture.Plan, "ana", "test rollout", force: true, None);

        var outcome = await f.Service.RollbackAsync("production", null, "bob", "errors on the dashboard", null, None);

        var details = System.Text.Json.Nodes.JsonNode.Parse(outcome.Event!.DetailsJson!)!;
        Assert.Equal(rollout.Id, details["rollout_id"]!.GetValue<string>());
        Assert.Equal(RolloutFixture.V2.Id, details["canary_cleared"]!["release_id"]!.GetValue<string>());
        Assert.Equal(rollout.Id, System.Text.Json.Nodes.JsonNode.Parse((await f.Store.Environments.HistoryAsync("app", "production", None))[^1].DetailsJson!)!["rollout_id"]!.GetValue<string>());
        Assert.Equal(RolloutState.RolledBack, (await f.Store.Rollouts.GetAsync(rollout.Id, None))!.State);
        Assert.Contains($"rollout {rollout.Id} ended (rolled_back)", outcome.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollbackAsync_WithNoRollout_NamesNone()
    {
        var f = await RolloutFixture.CreateAsync(Store);
        await f.Environments.DeployAsync("production", RolloutFixture.V2, "ana", "second", None);

        var outcome = await f.Service.RollbackAsync("production", null, "bob", "v2 is bad", null, None);

        Assert.Null(System.Text.Json.Nodes.JsonNode.Parse(outcome.Event!.DetailsJson!)!["rollout_id"]);
    }
}
