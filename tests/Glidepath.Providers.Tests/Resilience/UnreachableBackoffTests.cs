using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Resilience;
using Glidepath.Providers.Tests.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>
/// Outside trial gate1000 M1: with the provider down, every eval call retried on its own and was stored as an error, 22
/// minutes for a 1,000 × 10 gate. Now attempts in a row that cannot connect open the shared back-off (one probe per wait),
/// and an endpoint unreachable for a minute gets no more calls: they fail at once, not sent, and a resume asks them again.
/// LOW-3: the back-off's start, end and giving up are each told in one line. The clock is fake.
/// </summary>
public sealed class UnreachableBackoffTests
{
    private static readonly ProviderException Refused = new("openai", null, "cannot reach http://127.0.0.1:9/v1/chat/completions: Connection refused", ProviderFailure.Connection);

    private static (ProviderBackoff Backoff, FakeTimeProvider Time, ConcurrentQueue<string> Notices) Build()
    {
        var (time, notices) = (new FakeTimeProvider(), new ConcurrentQueue<string>());
        return (new ProviderBackoff(time, TimeSpan.FromSeconds(60), "openai", "openai m at http://127.0.0.1:9/v1", notices.Enqueue), time, notices);
    }

    [Fact]
    public async Task Completed_AttemptsInARowCannotConnect_EveryCallWaitsForOneProbe_AProbeThatConnectsEndsIt()
    {
        var (backoff, time, notices) = Build();
        for (var i = 0; i < ProviderBackoff.FailedInARow - 1; i++)
        {
            backoff.Completed(false, Refused, TimeSpan.FromSeconds(1));
        }

        Assert.True(backoff.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully); // 7 in a row: no wait yet
        backoff.Completed(false, Refused, TimeSpan.FromSeconds(1));
        Assert.Equal("openai m at http://127.0.0.1:9/v1: 8 calls in a row could not connect; every call waits 1 s, then one tries first", Assert.Single(notices));

        var first = backoff.EnterAsync(CancellationToken.None).AsTask();
        var second = backoff.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var probe = await Task.WhenAny(first, second);
        Assert.True(await probe);
        var other = probe == first ? second : first;

        backoff.Completed(true, Refused, TimeSpan.FromSeconds(1)); // still down: the wait doubles
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(other.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await other);

        backoff.Completed(true, null, default);
        Assert.Equal("openai m at http://127.0.0.1:9/v1 is reachable again after 3 s; calls go on", notices.Last());
        Assert.True(backoff.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public void Completed_ConnectionFailuresBrokenByAnAnswer_SetNoWait()
    {
        var (backoff, _, notices) = Build();
        for (var i = 0; i < 3 * ProviderBackoff.FailedInARow; i++)
        {
            backoff.Completed(false, i % 4 == 3 ? null : Refused, TimeSpan.FromSeconds(1));
        }

        Assert.True(backoff.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        Assert.Empty(notices);
    }

    [Fact]
    public async Task Completed_UnreachableForAMinute_EveryCallFailsAtOnceNotSent_TransientAndNotRetried()
    {
        var (backoff, time, notices) = Build();
        for (var i = 0; i < ProviderBackoff.FailedInARow; i++)
        {
            backoff.Completed(false, Refused, TimeSpan.FromSeconds(1));
        }

        // Each probe fails to connect: the waits double, 1, 2, 4, 8, 16 and 32 s; the probe at 63 s finds it down for over a minute.
        var pending = backoff.EnterAsync(CancellationToken.None).AsTask();
        foreach (var wait in new[] { 1, 2, 4, 8, 16, 32 })
        {
            Assert.False(pending.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(wait));
            Assert.True(await pending);
            pending = backoff.EnterAsync(CancellationToken.None).AsTask(); // waits behind the probe
            backoff.Completed(true, Refused, TimeSpan.FromSeconds(1));
        }

        var down = await Assert.ThrowsAsync<ProviderException>(() => pending);
        Assert.True(down.EndpointDown);
        Assert.True(down.IsTransient);
        Assert.True(TransientFailure.Of(down));
        Assert.StartsWith("model provider 'openai' failed: not sent: openai m at http://127.0.0.1:9/v1 could not be reached for 60 s or more", down.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProviderException>(() => backoff.EnterAsync(CancellationToken.None).AsTask());
        Assert.Equal("openai m at http://127.0.0.1:9/v1: still unreachable after 63 s; no more calls are sent to it: every trial left ends as an error, and a resume asks them again", notices.Last());
    }

    [Fact]
    public async Task Completed_RateLimitStorm_ToldWhenItStartsAndWhenItEnds()
    {
        var (backoff, time, notices) = Build();
        var limited = new ProviderException("openai", 429, "slow down", ProviderFailure.RateLimited, TimeSpan.FromSeconds(5));
        backoff.Completed(false, limited, TimeSpan.FromSeconds(1));
        backoff.Completed(false, limited, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await backoff.EnterAsync(CancellationToken.None));
        backoff.Completed(true, null, default);

        Assert.Equal(
            [
                "openai m at http://127.0.0.1:9/v1 is rate limiting (429/503): every call waits 5 s (retry-after), then one goes first",
                "openai m at http://127.0.0.1:9/v1 is answering again after 5 s; calls go on",
            ],
            notices);
    }

    // Through the whole pipeline against a port nothing listens on: the calls after the first few are never sent.
    [Fact]
    public async Task GetResponse_EndpointThatRefusesEveryConnection_CallsStopBeingSentAndFailAtOnce()
    {
        var port = ClosedPort();
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var notices = new ConcurrentQueue<string>();
        using var factory = new ModelClientFactory(time, new PriceTable(), defaults: new ModelClientDefaults
        {
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            GetEnvironmentVariable = n => n == ResilienceKit.KeyEnv ? "sk-test-0123456789abcdef" : null,
            BackoffNotice = notices.Enqueue,
        });
        var wire = WireFormat.OpenAI;
        var settings = new ProviderSettings { BaseUrl = $"http://127.0.0.1:{port}/v1", ApiKeyEnv = ResilienceKit.KeyEnv, Timeout = TimeSpan.FromHours(1), MaxRetries = 2, MaxConcurrency = 4 };
        var client = factory.Create(ResilienceKit.Model(wire), settings, new ModelClientOptions { SharedBackoff = true, LeanClient = true });
        var (messages, options) = ProviderWireTests.Conversation();

        var calls = Enumerable.Range(0, 40).Select(_ => client.GetResponseAsync(messages, options)).ToList();
        for (var step = 0; step < 400 && calls.Any(c => !c.IsCompleted); step++)
        {
            // Each connection is refused at once; the clock moves once the calls have had their turn.
            await Task.WhenAny(Task.WhenAll(calls), Task.Delay(10));
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.All(calls, c => Assert.True(c.IsFaulted));
        var failures = calls.Select(c => Assert.IsType<ProviderException>(c.Exception!.InnerException)).ToList();
        Assert.All(failures, f => Assert.Equal(ProviderFailure.Connection, f.Failure));
        // Never sent, and not retried (a retry would be refused the same way): one attempt. A call whose first attempts were
        // sent (refused) and whose retry then met the endpoint given up says so too, with its attempts.
        var notSent = failures.Count(f => f.EndpointDown && f.Attempts == 1);
        Assert.True(notSent >= 20, $"{notSent} of 40 not sent");
        Assert.Contains(notices, n => n.Contains("calls in a row could not connect", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("no more calls are sent to it", StringComparison.Ordinal));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
