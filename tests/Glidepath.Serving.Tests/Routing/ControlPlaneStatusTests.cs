using Glidepath.Serving.Routing;
using Glidepath.Serving.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Routing;

/// <summary>
/// Trial longrun #3: "a read has hung for 5 s" and how long the store has been unreadable were wall-clock differences,
/// so a step of the wall clock during a read read as a hang (104 false warnings under a fast clock) and could withhold
/// the canary. They are measured on the monotonic clock; the wall clock only says when (for display).
/// </summary>
public sealed class ControlPlaneStatusTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Current_WallClockStepsForwardDuringARead_NotStale_UntilTheReadHasTakenTheLimit()
    {
        var fake = new FakeTimeProvider(T0);
        var clock = new WallClockStep(fake);
        var status = new ControlPlaneStatus(clock, TimeSpan.FromSeconds(5));
        status.Ok();
        status.ReadStarted();

        clock.Step(TimeSpan.FromMinutes(2));
        fake.Advance(TimeSpan.FromSeconds(1));
        var stepped = status.Current;
        var readingFor = status.ReadingFor;
        fake.Advance(TimeSpan.FromSeconds(4));
        var hung = status.Current;

        Assert.False(stepped.Stale);
        Assert.Equal(TimeSpan.FromSeconds(1), readingFor);
        Assert.True(hung.Stale);
        Assert.Equal(T0, hung.StaleSince); // when the read started, on the wall clock of then
        Assert.Equal("a read of the store started at 09:00:00 UTC has not answered for 5 s", hung.Reason);
        Assert.Equal(TimeSpan.FromSeconds(5), hung.StaleFor);
    }

    [Fact]
    public void UnreadableFor_WallClockStepsForwardBetweenTheLastGoodReadAndAFailure_CountsOnlyTheTimeThatPassed()
    {
        var fake = new FakeTimeProvider(T0);
        var clock = new WallClockStep(fake);
        var status = new ControlPlaneStatus(clock, TimeSpan.FromSeconds(5));
        status.Ok();

        fake.Advance(TimeSpan.FromSeconds(2));
        clock.Step(TimeSpan.FromHours(1));
        status.ReadStarted();
        status.Failed("timeout");
        status.ReadEnded();
        fake.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(3), status.UnreadableFor);
        Assert.Equal((true, T0, T0.AddSeconds(2).AddHours(1), TimeSpan.FromSeconds(3)), (status.Current.Stale, status.Current.LastOk, status.Current.StaleSince, status.Current.StaleFor));
        status.Ok();
        Assert.Null(status.UnreadableFor);
        Assert.False(status.Current.Stale);
    }
}
