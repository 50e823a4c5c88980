using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class AggregateWindowTests
{
    private static readonly DateTimeOffset Minute = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Of_BothEnds_FlooredToTheUtcMinute()
    {
        var window = AggregateWindow.Of(new DateTimeOffset(2026, 11, 26, 10, 0, 59, TimeSpan.FromHours(2)), Minute.AddMinutes(3).AddSeconds(1));

        Assert.Equal((Minute, (DateTimeOffset?)Minute.AddMinutes(3)), (window.FromMinute, window.UntilMinute));
        Assert.Equal(TimeSpan.Zero, window.FromMinute.Offset);
    }

    [Fact]
    public void Contains_WindowsThatMeetAtAnInstant_ShareNoMinute()
    {
        var cut = Minute.AddMinutes(1).AddSeconds(30);
        var before = AggregateWindow.Of(Minute, cut);
        var after = AggregateWindow.Of(cut, null);

        for (var s = 0; s < 300; s++)
        {
            var t = Minute.AddSeconds(s);
            Assert.NotEqual(before.Contains(t), after.Contains(t));
        }
    }

    [Fact]
    public void Contains_WindowInsideOneMinute_IsEmpty()
    {
        var window = AggregateWindow.Of(Minute.AddSeconds(10), Minute.AddSeconds(50));

        Assert.False(window.Contains(Minute.AddSeconds(20)));
    }
}
