using Glidepath.Serving.Hosting;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>The rollout controller logged a warning on every failed pass of a store outage; now once per outage, and once when it ends.</summary>
public sealed class OutageLogTests
{
    [Fact]
    public void FailedAndSucceeded_FirstFailureAndFirstRecoveryOfEachOutageOnly()
    {
        var log = new OutageLog();

        var healthy = log.Succeeded();
        var first = log.Failed();
        var repeats = Enumerable.Range(0, 17).Count(_ => log.Failed());
        var recovered = log.Succeeded();
        var stillHealthy = log.Succeeded();
        var nextOutage = log.Failed();

        Assert.Equal((false, true, 0, true, false, true), (healthy, first, repeats, recovered, stillHealthy, nextOutage));
    }
}
