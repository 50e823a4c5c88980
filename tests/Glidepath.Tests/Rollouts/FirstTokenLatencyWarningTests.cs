using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class FirstTokenLatencyWarningTests
{
    private static readonly RolloutPlan Listed = new()
    {
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 }, ["latency"] = new() { MaxRatio = 1.25 } },
    };

    private static StableProfile Streamed(double share) => StableProfile.Assumed(0) with { Requests = 1000, FirstTokenShare = share };

    [Fact]
    public void For_DefaultPlanOrListedWithoutIt_StableMoreThanATenthStreamed_Warns()
    {
        var warning = FirstTokenLatencyWarning.For(new RolloutPlan(), Streamed(0.11), "production");

        Assert.NotNull(warning);
        Assert.StartsWith("warning: 11% of the stable release's requests on production in the last 24 h were streamed answers", warning, StringComparison.Ordinal);
        Assert.Contains("latency is the total time (for a stream, its last byte)", warning, StringComparison.Ordinal);
        Assert.Contains("first_token_latency: { max_ratio: 1.25 }", warning, StringComparison.Ordinal);
        Assert.NotNull(FirstTokenLatencyWarning.For(Listed, Streamed(0.8), "production"));
    }

    [Fact]
    public void For_ATenthOrLessStreamedOrNoStableTraffic_NoWarning()
    {
        Assert.Null(FirstTokenLatencyWarning.For(Listed, Streamed(0.10), "production"));
        Assert.Null(FirstTokenLatencyWarning.For(Listed, Streamed(0), "production"));
        Assert.Null(FirstTokenLatencyWarning.For(Listed, StableProfile.Assumed(0), "production")); // assumed, not observed
    }

    [Fact]
    public void For_PlanListsFirstTokenLatency_NoWarning()
    {
        var plan = Listed with { Metrics = new Dictionary<string, MetricTolerance>(Listed.Metrics) { ["first_token_latency"] = new() { MaxRatio = 1.5 } } };

        Assert.Null(FirstTokenLatencyWarning.For(plan, Streamed(0.9), "production"));
    }
}
