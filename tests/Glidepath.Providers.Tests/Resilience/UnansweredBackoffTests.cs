using System.Collections.Concurrent;
using Glidepath.Errors;
using Glidepath.Providers.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>
/// An endpoint that answers nothing usable — 5xx in a row, or every call timing out — is met like one that cannot be
/// connected to: one probe per wait, then no more calls after a minute. A hung provider cost timeout × attempts per trial.
/// A timeout counts only once nothing was answered for twice the timeout: a model slow on some prompts keeps going. The
/// clock is fake.
/// </summary>
public sealed class UnansweredBackoffTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly ProviderException BadGateway = new("openai", 502, "bad gateway", ProviderFailure.ServerError);
    private static readonly ProviderException TimedOut = ProviderErrors.Timeout("openai", Timeout, streaming: false);

    private static (ProviderBackoff Backoff, FakeTimeProvider Time, ConcurrentQueue<string> Notices) Build()
    {
        var (time, notices) = (new FakeTimeProvider(), new ConcurrentQueue<string>());
        return (new ProviderBackoff(time, TimeSpan.FromSeconds(60), "openai", "openai m at http://127.0.0.1:9/v1", notices.Enqueue), time, notices);
    }

    private static bool Waits(ProviderBackoff backoff) => !backoff.EnterAsync(CancellationToken.None).AsTask().IsCompleted;

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public void Completed_5xxInARow_EveryCallWaitsForOneProbe(int status)
    {
        var (backoff, _, notices) = Build();
        var failure = new ProviderException("openai", status, "upstream failed", ProviderFailure.ServerError);
        for (var i = 0; i < ProviderBackoff.FailedInARow - 1; i++)
        {
            backoff.Completed(false, failure, TimeSpan.FromSeconds(1), Timeout);
        }

        Assert.False(Waits(backoff));
        backoff.Completed(false, failure, TimeSpan.FromSeconds(1), Timeout);

        Assert.True(Waits(backoff));
        Assert.Equal($"openai m at http://127.0.0.1:9/v1: 8 calls in a row were answered {status}; every call waits 1 s, then one tries first", Assert.Single(notices));
    }

    [Fact]
    public async Task Completed_5xxForAMinute_EveryCallFailsAtOnceNotSent()
    {
        var (backoff, time, notices) = Build();
        for (var i = 0; i < ProviderBackoff.FailedInARow; i++)
        {
            backoff.Completed(false, BadGateway, TimeSpan.FromSeconds(1), Timeout);
        }

        var pending = backoff.EnterAsync(CancellationToken.None).AsTask();
        foreach (var wait in new[] { 1, 2, 4, 8, 16, 32 })
        {
            time.Advance(TimeSpan.FromSeconds(wait));
            Assert.True(await pending);
            pending = backoff.EnterAsync(CancellationToken.None).AsTask();
            backoff.Completed(true, BadGateway, TimeSpan.FromSeconds(1), Timeout);
        }

        var down = await Assert.ThrowsAsync<ProviderException>(() => pending);
        Assert.True(down.EndpointDown);
        Assert.StartsWith("model provider 'openai' failed: not sent: openai m at http://127.0.0.1:9/v1 did not answer for 60 s or more (8 calls in a row, then every probe: were answered 502)", down.Message, StringComparison.Ordinal);
        Assert.Equal("openai m at http://127.0.0.1:9/v1: still not answering after 63 s; no more calls are sent to it: every trial left ends as an error, and a resume asks them again", notices.Last());
    }

    // The provider asks to come back later (503 or 502 with retry-after) or refuses the request (4xx): it answered, so the
    // row is broken. A 503 without retry-after says neither, and counts.
    [Fact]
    public void Completed_AnsweredFailures_BreakTheRow_A503WithoutRetryAfterCounts()
    {
        var (backoff, _, _) = Build();
        ProviderException[] answered =
        [
            new("openai", 503, "busy", ProviderFailure.RateLimited, TimeSpan.FromSeconds(1)),
            new("openai", 400, "bad request", ProviderFailure.Rejected),
            new("openai", 502, "bad gateway", ProviderFailure.ServerError, TimeSpan.FromSeconds(1)),
        ];
        foreach (var breaker in answered)
        {
            SevenBadGatewaysThen(backoff, breaker);
            Assert.False(Waits(backoff));
        }

        SevenBadGatewaysThen(backoff, new ProviderException("openai", 503, "unavailable", ProviderFailure.RateLimited));
        Assert.True(Waits(backoff));
    }

    private static void SevenBadGatewaysThen(ProviderBackoff backoff, ProviderException last)
    {
        for (var i = 0; i < ProviderBackoff.FailedInARow - 1; i++)
        {
            backoff.Completed(false, BadGateway, TimeSpan.FromSeconds(1), Timeout);
        }

        backoff.Completed(false, last, TimeSpan.FromSeconds(1), Timeout);
    }

    // A model slow on long prompts: a case's trials time out side by side while other calls are answered. Not a hang.
    [Fact]
    public void Completed_TimeoutsInARowWhileCallsWereAnsweredRecently_SetNoWait()
    {
        var (backoff, time, notices) = Build();
        backoff.Completed(false, null, default, Timeout);
        time.Advance(Timeout);
        for (var i = 0; i < 3 * ProviderBackoff.FailedInARow; i++)
        {
            backoff.Completed(false, TimedOut, TimeSpan.FromSeconds(1), Timeout);
        }

        Assert.False(Waits(backoff));
        Assert.Empty(notices);
    }

    // A hung provider: nothing answered for twice the timeout, and the timeouts go on.
    [Fact]
    public void Completed_TimeoutsInARowWithNothingAnsweredForTwiceTheTimeout_EveryCallWaitsForOneProbe()
    {
        var (backoff, time, notices) = Build();
        backoff.Completed(false, null, default, Timeout);
        time.Advance(2 * Timeout);
        for (var i = 0; i < ProviderBackoff.FailedInARow - 1; i++)
        {
            backoff.Completed(false, TimedOut, TimeSpan.FromSeconds(1), Timeout);
        }

        Assert.False(Waits(backoff));
        backoff.Completed(false, TimedOut, TimeSpan.FromSeconds(1), Timeout);

        Assert.True(Waits(backoff));
        Assert.Equal("openai m at http://127.0.0.1:9/v1: 8 calls in a row got no answer within the timeout; every call waits 1 s, then one tries first", Assert.Single(notices));
    }
}
