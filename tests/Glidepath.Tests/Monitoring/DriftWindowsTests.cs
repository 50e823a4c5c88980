using Glidepath.Manifests;
using Glidepath.Monitoring;

namespace Glidepath.Tests.Monitoring;

public sealed class DriftWindowsTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);

    private static readonly Manifest Manifest = new()
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    };

    private static readonly DriftPolicy Daily = DriftPolicy.From(Manifest);

    [Fact]
    public void For_ReleaseStableLessThanADayAndAWindow_NullUntilReadyAt()
    {
        var since = Day0.AddHours(2);

        Assert.Null(DriftWindows.For(since, Day0.AddDays(1).AddHours(3).AddSeconds(-1), Daily));
        Assert.Equal(Day0.AddDays(1).AddHours(3), DriftWindows.ReadyAt(since, Daily));
        var first = DriftWindows.For(since, Day0.AddDays(1).AddHours(3), Daily)!.Value;
        Assert.Equal(1, first.ReferenceCount);
        Assert.Equal([(Day0.AddHours(2), Day0.AddHours(3))], first.ReferenceWindows);
        Assert.Equal((Day0.AddDays(1).AddHours(2), Day0.AddDays(1).AddHours(3)), (first.RecentFrom, first.RecentTo));
    }

    [Fact]
    public void For_RecentWindowAcrossMidnight_MatchedWindowsCrossTheEarlierMidnightsAndStopAtTheRelease()
    {
        var w = DriftWindows.For(Day0.AddHours(2), Day0.AddDays(3).AddMinutes(30), Daily)!.Value;

        Assert.Equal((Day0.AddDays(3).AddMinutes(-30), Day0.AddDays(3).AddMinutes(30)), (w.RecentFrom, w.RecentTo));
        Assert.Equal(
            [(Day0.AddDays(2).AddMinutes(-30), Day0.AddDays(2).AddMinutes(30)), (Day0.AddDays(1).AddMinutes(-30), Day0.AddDays(1).AddMinutes(30))],
            w.ReferenceWindows);
    }

    [Fact]
    public void For_ReleaseBecameStableInsideAnEarlierDaysWindow_ThatDayIsLeftOut()
    {
        var w = DriftWindows.For(Day0.AddHours(9).AddMinutes(30), Day0.AddDays(2).AddHours(10), Daily)!.Value;

        Assert.Equal([(Day0.AddDays(1).AddHours(9), Day0.AddDays(1).AddHours(10))], w.ReferenceWindows);
    }

    [Fact]
    public void For_StableForTwoWeeks_PoolsTheSevenLatestDays()
    {
        var now = Day0.AddDays(14).AddHours(15);
        var w = DriftWindows.For(Day0, now, Daily)!.Value;

        Assert.Equal(7, w.ReferenceCount);
        Assert.Equal(TimeSpan.FromDays(1), w.Period);
        Assert.Equal(now.AddDays(-7).AddHours(-1), w.ReferenceFrom);
        Assert.Equal(now.AddDays(-1), w.ReferenceTo);
        Assert.Equal("the same clock window on 7 earlier days", w.ReferenceText());
    }

    [Fact]
    public void For_WeekReference_SameWeekdayOnlyAndNotReadyForTheFirstWeek()
    {
        var weekly = DriftPolicy.From(Manifest, reference: DriftReference.Week);
        var since = Day0.AddHours(2);

        Assert.Null(DriftWindows.For(since, Day0.AddDays(6).AddHours(14), weekly));
        Assert.Equal(Day0.AddDays(7).AddHours(3), DriftWindows.ReadyAt(since, weekly));
        var w = DriftWindows.For(since, Day0.AddDays(15).AddHours(14), weekly)!.Value;
        Assert.Equal(
            [(Day0.AddDays(8).AddHours(13), Day0.AddDays(8).AddHours(14)), (Day0.AddDays(1).AddHours(13), Day0.AddDays(1).AddHours(14))],
            w.ReferenceWindows);
        Assert.Equal("the same clock window on 2 earlier weeks", w.ReferenceText());
    }

    [Fact]
    public void For_SecondsInStableSinceAndNow_WholeMinutesAndTheReleasesFirstPartialMinuteIsNotReference()
    {
        var since = Day0.AddHours(2).AddSeconds(30);

        Assert.Null(DriftWindows.For(since, Day0.AddDays(1).AddHours(3).AddSeconds(45), Daily));
        Assert.Equal(Day0.AddDays(1).AddHours(3).AddMinutes(1), DriftWindows.ReadyAt(since, Daily));
        var w = DriftWindows.For(since, Day0.AddDays(1).AddHours(3).AddMinutes(1).AddSeconds(59), Daily)!.Value;
        Assert.Equal([(Day0.AddHours(2).AddMinutes(1), Day0.AddHours(3).AddMinutes(1))], w.ReferenceWindows);
    }

    [Fact]
    public void New_StoredTimesOnly_RecoversPeriodAndCount()
    {
        var stored = new DriftWindows(Day0.AddHours(9), Day0.AddDays(2).AddHours(10), Day0.AddDays(3).AddHours(9), Day0.AddDays(3).AddHours(10));

        Assert.True(stored.IsTimeMatched);
        Assert.Equal(3, stored.ReferenceCount);
        Assert.Equal(TimeSpan.FromDays(1), stored.Period);
    }

    [Fact]
    public void IsTimeMatched_AnAlertStoredWithTheFirstHourAfterTheReleaseAsReference_False()
    {
        var old = new DriftWindows(Day0.AddHours(2), Day0.AddHours(3), Day0.AddHours(13), Day0.AddHours(14));

        Assert.False(old.IsTimeMatched);
    }

    [Fact]
    public void From_RecentWindowLongerThanADayOrNotWholeMinutes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftPolicy.From(Manifest, TimeSpan.FromHours(25)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftPolicy.From(Manifest, TimeSpan.FromSeconds(90)));
    }
}
