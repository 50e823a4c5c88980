using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Tests.Environments;

public sealed class EnvironmentGuardTests
{
    private static readonly EnvironmentState State = new() { App = "app", Name = "production", Revision = 2, StableReleaseId = "id1" };

    [Fact]
    public void EnsureNotFrozen_Frozen_ThrowsExit4WithReasonAndUnfreezeCommand()
    {
        var ex = Assert.Throws<PolicyException>(() => EnvironmentGuard.EnsureNotFrozen(State with { Frozen = true, FrozenReason = "incident 7" }, "rollout start"));
        Assert.Equal(FailureKind.Refused, ex.Kind);
        Assert.Contains("\"incident 7\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rollout start is refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("glidepath unfreeze --env production", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureNotFrozen_NotFrozen_Passes()
    {
        EnvironmentGuard.EnsureNotFrozen(State, "deploy");
        Assert.False(State.Frozen);
    }

    [Fact]
    public void EnsureNoActiveCanary_CanaryActive_ThrowsNamingIt()
    {
        var ex = Assert.Throws<PolicyException>(() =>
            EnvironmentGuard.EnsureNoActiveCanary(State with { Canary = new CanaryState("id9", 25, "s") }, "promote", _ => "v9"));
        Assert.Contains("v9 at 25%", ex.Message, StringComparison.Ordinal);
    }
}
