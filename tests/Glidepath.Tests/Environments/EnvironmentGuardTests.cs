using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;

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

    private static readonly Release Regional = new()
    {
        Id = "id2",
        App = "app",
        Version = 2,
        CanonicalJson = """{"content":{"prompts/system.md":{"text":"Office: {{ region }}. Tier: {{customer_tier}}."}},"prompt":{"system":"prompts/system.md"}}""",
        Author = "ana",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void EnsurePromptVariablesProvided_VariableNeitherSetNorOpenToCallers_ThrowsExit2NamingItAndTheFix()
    {
        var spec = new EnvironmentSpec { Name = "production", Vars = new Dictionary<string, string> { ["customer_tier"] = "standard" } };

        var ex = Assert.Throws<BadInputException>(() => EnvironmentGuard.EnsurePromptVariablesProvided(spec, Regional, "rollout start"));

        Assert.Equal(FailureKind.BadInput, ex.Kind);
        Assert.Contains("v2's prompt (prompts/system.md) uses template variable 'region'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'customer_tier'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("rollout start is refused", ex.Message, StringComparison.Ordinal);
        Assert.Contains("environments.production.vars", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsurePromptVariablesProvided_EachSetOrOpenToCallersInAnyCase_Passes()
    {
        var spec = new EnvironmentSpec { Name = "production", Vars = new Dictionary<string, string> { ["Customer_Tier"] = "standard" }, RequestVars = ["REGION"] };

        EnvironmentGuard.EnsurePromptVariablesProvided(spec, Regional, "deploy");
        EnvironmentGuard.EnsurePromptVariablesProvided(new EnvironmentSpec { Name = "staging" }, Regional with { CanonicalJson = "{}" }, "deploy");
        Assert.Equal(2, Regional.Version);
    }
}
