using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Environments;

/// <summary>How <c>glidepath history</c> names who acted: the controller's events with the lease holder that decided (trial "pgops" #5).</summary>
public sealed class EnvironmentEventViewTests
{
    private static EnvironmentEventView Event(string actor, string? details) => new(
        7, RolloutEventKinds.Promoted, DateTimeOffset.UnixEpoch, actor, "safe", null, null, false,
        details is null ? null : JsonDocument.Parse(details).RootElement.Clone());

    [Fact]
    public void ActorText_ControllerEventWithHolder_NamesTheHolder() =>
        Assert.Equal("controller (vm:6670:abc)", Event(RolloutController.Actor, """{"rollout_id":"ro-1","controller":"vm:6670:abc"}""").ActorText);

    [Theory]
    [InlineData("controller", null)] // recorded before the holder was kept
    [InlineData("controller", """{"rollout_id":"ro-1"}""")]
    [InlineData("ana", """{"controller":"vm:1:x"}""")] // a person's event: the actor alone
    [InlineData("controller", """{"controller":42}""")]
    public void ActorText_NoHolderOfTheController_TheActorAlone(string actor, string? details) =>
        Assert.Equal(actor, Event(actor, details).ActorText);

    private static readonly ReleaseRefView V3 = new("v3", new string('3', 64), "v3+33333333");
    private static readonly ReleaseRefView V5 = new("v5", new string('5', 64), "v5+55555555");

    private static EnvironmentEventView Rollback(ReleaseRefView from, ReleaseRefView to, string details) => new(
        9, EnvironmentEventKinds.Rollback, DateTimeOffset.UnixEpoch, "token:owner", null, from, to, false, JsonDocument.Parse(details).RootElement.Clone());

    // Trial dash2 #4: a rollback that ended canary v5 read "v5 → v3", though v3 was stable before and after.
    [Fact]
    public void ReleasesText_RollbackThatEndedTheCanary_SaysTheCanaryEndedNotAMove()
    {
        var e = Rollback(V5, V3, $$"""{"canary_cleared":{"release_id":"{{V5.Id}}","weight":10},"rollout_id":"ro-1"}""");

        Assert.Equal("canary v5+55555555 at 10% ended; all traffic to the stable v3", e.ReleasesText);
        Assert.False(e.MovesStable);
    }

    // rollback --to during a rollout: the canary ends and the stable moves from v5 to v3.
    [Fact]
    public void ReleasesText_RollbackThatMovedTheStable_StaysAMove()
    {
        var e = Rollback(V5, V3, $$"""{"canary_cleared":{"release_id":"{{new string('7', 64)}}","weight":10},"steps_back":1}""");

        Assert.Equal("v5 → v3+33333333", e.ReleasesText);
        Assert.True(e.MovesStable);
    }
}
