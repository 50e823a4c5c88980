using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>A plan listing its metrics without cancel_rate, while stable's callers give up on a real share of requests, is warned about.</summary>
public sealed class CancelRateWarningTests
{
    private static readonly RolloutPlan Listed = new()
    {
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 }, ["latency"] = new() { MaxRatio = 1.25 } },
    };

    private static StableProfile Cancelled(double share) => StableProfile.Assumed(0) with { Requests = 1000, CancelRate = share };

    [Fact]
    public void For_ListedWithoutIt_StableCallersCloseMoreThanOnePercent_Warns()
    {
        var warning = CancelRateWarning.For(Listed, Cancelled(0.12), "production");

        Assert.NotNull(warning);
        Assert.StartsWith("warning: callers closed 12% of the stable release's requests on production in the last 24 h before the answer ended", warning, StringComparison.Ordinal);
        Assert.Contains("cancel_rate: { max_increase: 0.05 }", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void For_DefaultPlanOrListedOrFewCancelsOrNoStableTraffic_NoWarning()
    {
        var listing = Listed with { Metrics = new Dictionary<string, MetricTolerance>(Listed.Metrics) { ["cancel_rate"] = new() { MaxIncrease = 0.1 } } };

        Assert.Null(CancelRateWarning.For(new RolloutPlan(), Cancelled(0.3), "production")); // the defaults judge it
        Assert.Null(CancelRateWarning.For(listing, Cancelled(0.3), "production"));
        Assert.Null(CancelRateWarning.For(Listed, Cancelled(0.01), "production"));
        Assert.Null(CancelRateWarning.For(Listed, StableProfile.Assumed(0), "production")); // assumed, not observed
    }
}
