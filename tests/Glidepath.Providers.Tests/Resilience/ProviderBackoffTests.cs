using Glidepath.Errors;
using Glidepath.Providers.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>
/// The back-off an eval's calls to one provider endpoint share: after a 429 no attempt starts before its retry time, then
/// one goes first (the probe) while the rest wait for its answer. The clock is fake: nothing waits on real time.
/// </summary>
public sealed class ProviderBackoffTests
{
    private static readonly ProviderException RateLimited = new("openai", 429, "slow down", ProviderFailure.RateLimited, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task EnterAsync_NoRateLimitMet_GoesAtOnceAndIsNoProbe()
    {
        var backoff = new ProviderBackoff(new FakeTimeProvider(), TimeSpan.FromSeconds(60));

        var enter = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.True(enter.IsCompletedSuccessfully);
        Assert.False(await enter);
        backoff.Completed(false, new ProviderException("openai", 500, "boom", ProviderFailure.ServerError), TimeSpan.FromSeconds(1));

        var after500 = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.True(after500.IsCompletedSuccessfully); // a 500 sets no wait
        Assert.False(await after500);
    }

    // Outside trial gatejudge2: with every 429 pausing every call, a judge answering 1% of calls with 429 made a gate 3×
    // slower and 5% 6×. A 429 among mostly answered attempts is left to its own call's retry.
    [Fact]
    public async Task Completed_AnOccasional429AmongAnsweredAttempts_SetsNoWait_AStormDoes()
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        for (var i = 0; i < ProviderBackoff.Window; i++)
        {
            backoff.Completed(false, i % 4 == 3 ? RateLimited : null, TimeSpan.FromSeconds(1)); // 1 in 4 rate limited
        }

        var occasional = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.True(occasional.IsCompletedSuccessfully);
        Assert.False(await occasional);

        // Then every attempt is rate limited: once they are half of the window the shared wait starts.
        var limited = 0;
        while (backoff.EnterAsync(CancellationToken.None).AsTask() is { IsCompletedSuccessfully: true })
        {
            backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1));
            limited++;
        }

        // 4 of the 16 were rate limited; each new one pushes out the oldest (answered, answered, answered, limited,
        // answered): after the fifth, 8 of 16.
        Assert.Equal(5, limited);
    }

    [Fact]
    public async Task EnterAsync_AfterA429_WaitsForItsRetryAfter_ThenOneProbeWhileTheOthersWaitForItsAnswer()
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1));

        var first = backoff.EnterAsync(CancellationToken.None).AsTask();
        var second = backoff.EnterAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(first.IsCompleted || second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        var probe = await Task.WhenAny(first, second);
        Assert.True(await probe);
        var other = probe == first ? second : first;
        Assert.False(other.IsCompleted);
        var newCall = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(newCall.IsCompleted); // a new call waits for the probe too

        backoff.Completed(true, null, default);
        Assert.False(await other);
        Assert.False(await newCall);
        var afterProbe = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.True(afterProbe.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Completed_ProbeRateLimitedAgain_TheOthersWaitAnotherRetryAfterAndOneOfThemProbes()
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await backoff.EnterAsync(CancellationToken.None));
        var waiting = backoff.EnterAsync(CancellationToken.None).AsTask();

        backoff.Completed(true, RateLimited, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await waiting);
    }

    // No retry-after: the backoff the failed attempt's retry would take. A retry-after beyond the cap waits the cap.
    [Theory]
    [InlineData(null, 2, 2)]
    [InlineData(3600, 2, 60)]
    public async Task Completed_WaitIsRetryAfterOrTheBackoff_Capped(int? retryAfterSeconds, int backoffSeconds, int expectedSeconds)
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        var limited = new ProviderException("anthropic", 503, "overloaded", ProviderFailure.RateLimited, retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        backoff.Completed(false, limited, TimeSpan.FromSeconds(backoffSeconds));

        var waiting = backoff.EnterAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(expectedSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await waiting);
    }

    [Fact]
    public async Task EnterAsync_Cancelled_WhileWaitingForTheRetryTimeOrTheProbe_Throws()
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1));
        using var early = new CancellationTokenSource();
        var beforeRetryTime = backoff.EnterAsync(early.Token).AsTask();

        await early.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => beforeRetryTime);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await backoff.EnterAsync(CancellationToken.None));
        using var late = new CancellationTokenSource();
        var behindTheProbe = backoff.EnterAsync(late.Token).AsTask();
        await late.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => behindTheProbe);
    }

    // The probe's caller went away: someone else must probe, or every later call would wait for good.
    [Fact]
    public async Task Abandoned_Probe_AWaitingCallBecomesTheProbe()
    {
        var time = new FakeTimeProvider();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60));
        backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await backoff.EnterAsync(CancellationToken.None));
        var waiting = backoff.EnterAsync(CancellationToken.None).AsTask();

        backoff.Abandoned();

        Assert.True(await waiting);
    }

    // Outside trial gate1000 L2: in a 34 s storm the probes used up their own calls' max_retries and 21 trials errored.
    [Fact]
    public async Task Completed_RateLimitedWhileTheStormBackoffIsOn_ChargesNoRetry_UntilTheStormIsTwoMinutesOld()
    {
        var time = new FakeTimeProvider();
        var notices = new List<string>();
        var backoff = new ProviderBackoff(time, TimeSpan.FromSeconds(60), "openai", "openai m", notices.Add);
        Assert.True(backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1)));

        var waited = TimeSpan.Zero;
        while (waited < ProviderBackoff.FreeRetriesFor)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            waited += TimeSpan.FromSeconds(5);
            Assert.True(await backoff.EnterAsync(CancellationToken.None));
            var free = backoff.Completed(true, RateLimited, TimeSpan.FromSeconds(1));
            Assert.Equal(waited < ProviderBackoff.FreeRetriesFor, free);
        }

        Assert.Equal("openai m has been rate limiting for 120 s: each call's own retries (max_retries) count again", notices.Last());
    }

    // A 429 now and then is no storm: its own call retries it, charged as ever; so is a retry-after longer than is waited.
    [Fact]
    public void Completed_RateLimitedWithoutAStormOrBeyondTheCap_IsCharged()
    {
        var backoff = new ProviderBackoff(new FakeTimeProvider(), TimeSpan.FromSeconds(60));
        for (var i = 0; i < ProviderBackoff.Window; i++)
        {
            backoff.Completed(false, null, default);
        }

        Assert.False(backoff.Completed(false, RateLimited, TimeSpan.FromSeconds(1)));
        var beyond = new ProviderBackoff(new FakeTimeProvider(), TimeSpan.FromSeconds(60));
        Assert.False(beyond.Completed(false, new ProviderException("openai", 429, "come back in an hour", ProviderFailure.RateLimited, TimeSpan.FromHours(1)), TimeSpan.FromSeconds(1)));
    }
}
