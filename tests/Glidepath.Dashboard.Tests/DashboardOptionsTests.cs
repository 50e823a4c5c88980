using Glidepath.Gateway;
using Glidepath.Gateway.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Dashboard.Tests;

/// <summary>The live stream's intervals are checked when the dashboard is added: a zero poll would spin, a zero beat would flood.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData(0, 15_000)]
    [InlineData(1_000, 0)]
    [InlineData(1_000, -1)]
    public void AddGlidepathDashboard_APollOrBeatNotAboveZero_Refused(int pollMs, int beatMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddGlidepathDashboard(new DashboardOptions
        {
            LivePoll = TimeSpan.FromMilliseconds(pollMs),
            LiveHeartbeat = TimeSpan.FromMilliseconds(beatMs),
        }));

    [Fact]
    public void AddGlidepathDashboard_Defaults_BeatEvery15s()
    {
        var services = new ServiceCollection().AddGlidepathDashboard();

        Assert.Equal(TimeSpan.FromSeconds(15), Assert.Single(services, d => d.ServiceType == typeof(DashboardOptions)).ImplementationInstance is DashboardOptions o ? o.LiveHeartbeat : default);
    }
}
