using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Trial newcomer2 M3: steps 10/50/100 with max_duration 5m at 5 requests/s. The 10% step needed about 32 minutes, nothing
/// said so, and the good release was rolled back "inconclusive after 5m0s".
/// </summary>
public sealed class StepPaceWarningTests
{
    private static RolloutPlan Plan(string onInconclusive) => new()
    {
        Steps = [10, 50, 100],
        MaxDuration = TimeSpan.FromMinutes(5),
        OnInconclusive = onInconclusive,
    };

    [Fact]
    public void For_AStepSlowerThanMaxDurationAtTheRate_WarnsNamingTheStepAndWhatHappensThen()
    {
        var plan = Plan("rollback");
        var planned = RolloutPlanner.Plan(plan, StableProfile.Assumed(0));

        var warning = StepPaceWarning.For(plan, planned, 5, "--rps", "production");

        Assert.NotNull(warning);
        Assert.StartsWith("warning: at 5 requests/s (--rps) step", warning, StringComparison.Ordinal);
        Assert.Contains("10% needs about ", warning, StringComparison.Ordinal);
        Assert.Contains("beyond rollout.step.max_duration 5m0s", warning, StringComparison.Ordinal);
        Assert.Contains("on_inconclusive: rollback rolls back even a release as good as stable", warning, StringComparison.Ordinal);
    }

    // Trial dash2 #6: the warning ended with a literal "--env ENV --rps N" although both were known.
    [Fact]
    public void For_TheCommandItSuggests_NamesTheEnvironmentAndTheRate()
    {
        var plan = Plan("rollback");

        var warning = StepPaceWarning.For(plan, RolloutPlanner.Plan(plan, StableProfile.Assumed(0)), 5.5734, "measured", "staging");

        Assert.EndsWith("see the plan: glidepath rollout plan --env staging --rps 5.573", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ARateBelowAThousandthPerSecond_IsNotShownAsZero()
    {
        var plan = Plan("rollback");

        var warning = StepPaceWarning.For(plan, RolloutPlanner.Plan(plan, StableProfile.Assumed(0)), 0.0001234, "measured", "staging");

        Assert.StartsWith("warning: at 1.234E-4 requests/s (measured)", warning, StringComparison.Ordinal);
        Assert.EndsWith("--rps 1.234E-4", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void For_EveryStepFitsAtTheRate_NoWarning()
    {
        var plan = Plan("rollback");
        var planned = RolloutPlanner.Plan(plan, StableProfile.Assumed(0));
        var slowest = planned.Max(p => p.TotalRequests ?? 0);

        Assert.Null(StepPaceWarning.For(plan, planned, slowest / plan.MaxDuration.TotalSeconds * 1.01, "--rps", "production"));
        Assert.NotNull(StepPaceWarning.For(plan, planned, slowest / plan.MaxDuration.TotalSeconds * 0.9, "--rps", "production"));
    }

    [Fact]
    public void For_HoldOnInconclusive_SaysItHoldsNotThatItRollsBack()
    {
        var plan = Plan("hold");

        var warning = StepPaceWarning.For(plan, RolloutPlanner.Plan(plan, StableProfile.Assumed(0)), 5, "--rps", "production");

        Assert.Contains("on_inconclusive: hold applies", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("rolls back", warning, StringComparison.Ordinal);
    }
}
