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
}
