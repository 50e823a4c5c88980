using Glidepath.Serving.Chat;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Chat;

/// <summary>A release every request fails on used to log one error line per request; now one a minute, with the count.</summary>
public sealed class RepeatedLogTests
{
    [Fact]
    public void ShouldLog_OncePerIntervalPerKey_CountingWhatWasHeldBack()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var log = new RepeatedLog(time);

        var first = log.ShouldLog("v2\nno key", out var none);
        var repeats = Enumerable.Range(0, 99).Count(_ => log.ShouldLog("v2\nno key", out long _));
        var other = log.ShouldLog("v3\nno key", out _);
        time.Advance(RepeatedLog.Interval - TimeSpan.FromMilliseconds(1));
        var justBefore = log.ShouldLog("v2\nno key", out _);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var after = log.ShouldLog("v2\nno key", out var heldBack);

        Assert.Equal((true, 0L, 0, true, false, true, 100L), (first, none, repeats, other, justBefore, after, heldBack));
    }
}
