using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>
/// Outside trial gatejudge L7: a 25 s 429 storm (retry-after: 1) met 64 concurrent eval calls, each retrying on its own
/// schedule: 999 × 429 reached the provider. With the eval's shared back-off the storm meets the calls in flight when it
/// began and then one call per retry-after. A real server on 127.0.0.1; the clock is fake and moves one second at a time.
/// </summary>
public sealed class SharedBackoffTests : IAsyncLifetime
{
    private const int Slots = 8;
    private const int Calls = 64;
    private const int StormSeconds = 25;

    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetResponse_429StormWithSharedBackoff_RequestsDuringItBoundedBySlotsPlusOnePerRetryAfter()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var stormEnd = DateTimeOffset.UnixEpoch.AddSeconds(StormSeconds);
        var (rateLimited, answered) = (0, 0);
        var ok = FakeProviderServer.Json(wire.Text("ok", 5, 1));
        var slowDown = FakeProviderServer.Json(wire.Error("rate limit reached"), 429, ("retry-after", "1"));
        for (var i = 0; i < Calls * 8; i++)
        {
            _server.Enqueue(ctx =>
            {
                if (time.GetUtcNow() < stormEnd)
                {
                    Interlocked.Increment(ref rateLimited);
                    return slowDown(ctx);
                }

                Interlocked.Increment(ref answered);
                return ok(ctx);
            });
        }

        using var factory = ResilienceKit.Factory(time);
        var settings = ResilienceKit.Settings(wire, _server, maxRetries: 3) with { MaxConcurrency = Slots, Timeout = TimeSpan.FromHours(1) };
        var client = factory.Create(ResilienceKit.Model(wire), settings, new ModelClientOptions { SharedBackoff = true, LeanClient = true });
        var (messages, options) = ProviderWireTests.Conversation();

        var calls = Enumerable.Range(0, Calls).Select(_ => client.GetResponseAsync(messages, options)).ToList();
        await DriveClockAsync(time, calls);

        Assert.All(calls, c => Assert.True(c.IsCompleted));
        var failed = calls.Where(c => c.IsFaulted).Select(c => Assert.IsType<ProviderException>(c.Exception!.InnerException)).ToList();
        Assert.All(failed, e => Assert.Equal(ProviderFailure.RateLimited, e.Failure)); // a probe that used up its retries
        Assert.Equal(Calls - failed.Count, answered);
        Assert.True(answered > Calls / 2, $"{answered} answered");
        // The calls in flight when the storm began, then at most one per second of it; without the shared back-off every
        // call spent its 4 attempts on the storm (~250 × 429).
        Assert.InRange(rateLimited, 1, Slots + StormSeconds);
    }

    // Outside trial gate1000 L2: the calls whose attempts probed a 34 s storm used up their max_retries and errored (exit 3).
    // Attempts rate limited while the back-off is on are not charged: with one retry each, a 25 s storm fails no call.
    [Fact]
    public async Task GetResponse_429StormWithSharedBackoff_NoCallUsesUpItsRetries()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var stormEnd = DateTimeOffset.UnixEpoch.AddSeconds(StormSeconds);
        var ok = FakeProviderServer.Json(wire.Text("ok", 5, 1));
        var slowDown = FakeProviderServer.Json(wire.Error("rate limit reached"), 429, ("retry-after", "1"));
        for (var i = 0; i < Calls * 8; i++)
        {
            _server.Enqueue(ctx => time.GetUtcNow() < stormEnd ? slowDown(ctx) : ok(ctx));
        }

        using var factory = ResilienceKit.Factory(time);
        var settings = ResilienceKit.Settings(wire, _server, maxRetries: 1) with { MaxConcurrency = Slots, Timeout = TimeSpan.FromHours(1) };
        var client = factory.Create(ResilienceKit.Model(wire), settings, new ModelClientOptions { SharedBackoff = true, LeanClient = true });
        var (messages, options) = ProviderWireTests.Conversation();

        var calls = Enumerable.Range(0, Calls).Select(_ => client.GetResponseAsync(messages, options)).ToList();
        await DriveClockAsync(time, calls);

        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully, c.Exception?.InnerException?.Message));
        Assert.Contains(calls, c => ModelResponseProperties.AttemptsOf(c.Result.AdditionalProperties) > 2); // every request sent is counted
    }

    // Outside trial gatejudge2: a judge's 429s paused the release's calls on the same server. Providers limit each model
    // apart, so the back-off is per model: a call to another model goes at once.
    [Fact]
    public async Task GetResponse_SharedBackoff_A429OnOneModelDoesNotPauseAnotherModelsCalls()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        _server.Enqueue(FakeProviderServer.Json(wire.Error("slow down"), 429, ("retry-after", "30")), FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = ResilienceKit.Factory(time);
        var settings = ResilienceKit.Settings(wire, _server, maxRetries: 0);
        var judge = factory.Create(ResilienceKit.Model(wire) with { Name = "judge-1" }, settings, new ModelClientOptions { SharedBackoff = true });
        var release = factory.Create(ResilienceKit.Model(wire), settings, new ModelClientOptions { SharedBackoff = true });
        var (messages, options) = ProviderWireTests.Conversation();
        await Assert.ThrowsAsync<ProviderException>(() => judge.GetResponseAsync(messages, options));

        // The clock does not move: a call that waited for the judge's retry-after would never be sent (the bound fails it).
        var response = await release.GetResponseAsync(messages, options).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("ok", response.Text);
    }

    // The gateway and other callers do not share a back-off: a call after a 429 goes at once (the caller gets the provider's 429).
    [Fact]
    public async Task GetResponse_WithoutSharedBackoff_ACallAfterA429GoesAtOnce()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        _server.Enqueue(FakeProviderServer.Json(wire.Error("slow down"), 429, ("retry-after", "30")), FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = ResilienceKit.Factory(time);
        var client = factory.Create(ResilienceKit.Model(wire), ResilienceKit.Settings(wire, _server, maxRetries: 0), new ModelClientOptions());
        var (messages, options) = ProviderWireTests.Conversation();

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));
        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("ok", response.Text);
    }

    // With it, the next call waits for the retry time, and a caller that goes away meanwhile is let go without a request.
    [Fact]
    public async Task GetResponse_SharedBackoff_ANewCallWaitsForTheRetryTimeAndCanBeCancelled()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        DateTimeOffset? secondSent = null;
        var ok = FakeProviderServer.Json(wire.Text("ok", 5, 1));
        _server.Enqueue(FakeProviderServer.Json(wire.Error("slow down"), 429, ("retry-after", "30")), ctx =>
        {
            secondSent = time.GetUtcNow();
            return ok(ctx);
        });
        using var factory = ResilienceKit.Factory(time);
        var client = factory.Create(ResilienceKit.Model(wire), ResilienceKit.Settings(wire, _server, maxRetries: 0), new ModelClientOptions { SharedBackoff = true });
        var (messages, options) = ProviderWireTests.Conversation();
        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        using var gone = new CancellationTokenSource();
        var cancelled = client.GetResponseAsync(messages, options, gone.Token);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var waiting = client.GetResponseAsync(messages, options);
        time.Advance(TimeSpan.FromSeconds(30));
        var response = await waiting;

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(30), secondSent);
    }

    /// <summary>
    /// Moves the clock a second once the requests so far have been answered (or after a while, if none comes): each step
    /// lets at most one probe through while a storm lasts, however fast this machine is.
    /// </summary>
    private async Task DriveClockAsync(FakeTimeProvider time, List<Task<ChatResponse>> calls)
    {
        for (var step = 0; step < 400 && calls.Any(c => !c.IsCompleted); step++)
        {
            var seen = _server.Arrivals;
            for (var i = 0; i < 50 && _server.Arrivals == seen && calls.Any(c => !c.IsCompleted); i++)
            {
                await Task.Delay(5);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
