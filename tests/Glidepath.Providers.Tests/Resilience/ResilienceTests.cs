using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>What a misbehaving upstream does to a call: garbage streams, cut connections, full slots, absurd retry-after.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetStreamingResponse_200WithNonSseBody_ThrowsMalformedResponse(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Json(wire.Text("not a stream", 5, 1)));
        using var factory = Factory(TimeProvider.System);
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(messages, options))
            {
            }
        });

        Assert.Equal(ProviderFailure.MalformedResponse, ex.Failure);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("openai", true)]
    [InlineData("anthropic", true)]
    [InlineData("openai", false)]
    [InlineData("anthropic", false)]
    public async Task GetResponse_ConnectionCutMidBody_RetriesAsConnectionError(string provider, bool contentLength)
    {
        var wire = WireFormat.Of(provider);
        var full = wire.Text("ok", 5, 1);
        _server.Enqueue(
            async ctx =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength = contentLength ? full.Length + 500 : null;
                await ctx.Response.WriteAsync(full[..(full.Length / 2)]);
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
            },
            FakeProviderServer.Json(full));
        using var factory = Factory(TimeProvider.System);
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 1 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var response = await client.GetResponseAsync(messages, options);

        Assert.Equal("ok", response.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetStreamingResponse_ConnectionCutBeforeFirstEvent_Retries(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(
            async ctx =>
            {
                ctx.Response.StatusCode = 200;
                ctx.Response.ContentType = "text/event-stream";
                await ctx.Response.WriteAsync("data: {\"trunc");
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
            },
            FakeProviderServer.Sse(wire.Stream(["Items ", "can be ", "returned."], 50, 6)));
        using var factory = Factory(TimeProvider.System);
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 1 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var text = "";
        int? attempts = null;
        await foreach (var u in client.GetStreamingResponseAsync(messages, options))
        {
            attempts ??= Glidepath.Models.ModelResponseProperties.AttemptsOf(u.AdditionalProperties);
            text += u.Text;
        }

        Assert.Equal("Items can be returned.", text);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(2, attempts); // on the first update: what the trace records (retry_rate)
    }

    // A call that fails on every attempt says how many it made: the trace records them (retry_rate), whatever the caller got.
    [Theory]
    [InlineData("openai", false)]
    [InlineData("anthropic", false)]
    [InlineData("openai", true)]
    [InlineData("anthropic", true)]
    public async Task GetResponse_ServerErrorOnEveryAttempt_FailureCarriesEveryAttempt(string provider, bool streaming)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Json(wire.Error("boom"), 500), FakeProviderServer.Json(wire.Error("boom"), 500), FakeProviderServer.Json(wire.Error("boom"), 500));
        using var factory = Factory(TimeProvider.System);
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => streaming ? DrainAsync(client.GetStreamingResponseAsync(messages, options)) : client.GetResponseAsync(messages, options));

        Assert.Equal((ProviderFailure.ServerError, 500, 3), (ex.Failure, ex.StatusCode, ex.Attempts));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Theory]
    [InlineData("openai", false)]
    [InlineData("anthropic", false)]
    [InlineData("openai", true)]
    public async Task GetResponse_AllSlotsHeldByHangingCall_FailsOverloadedAfterBoundedWait(string provider, bool streaming)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Stall());
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var factory = Factory(time);
        var client = factory.Create(Model(wire), Settings(wire) with { MaxConcurrency = 1, MaxRetries = 0, Timeout = TimeSpan.FromHours(1) },
            new ModelClientOptions { MaxQueueWait = TimeSpan.FromSeconds(2) });
        var (messages, options) = ProviderWireTests.Conversation();
        using var hang = new CancellationTokenSource();
        var hanging = client.GetResponseAsync(messages, options, hang.Token);
        await WaitUntilAsync(() => !_server.Requests.IsEmpty);

        var waiting = streaming ? DrainAsync(client.GetStreamingResponseAsync(messages, options)) : client.GetResponseAsync(messages, options);
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => waiting);

        Assert.Equal((ProviderFailure.RateLimited, 503, 0), (ex.Failure, ex.StatusCode, ex.Attempts)); // never sent
        Assert.Contains("max_concurrency", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
        await hang.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
    }

    // Trial shadowcaps #2: shadow calls shared the callers' slots, so a candidate that hangs held them until its timeout and
    // callers waited (64% fewer requests at max_concurrency 6). A lane has its own pool.
    [Fact]
    public async Task GetResponse_AllSlotsOfAnotherLaneHeldByAHangingCall_ThisLaneIsServed()
    {
        var wire = WireFormat.OpenAI;
        _server.Enqueue(FakeProviderServer.Stall(), FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        using var factory = Factory(time);
        var settings = Settings(wire) with { MaxConcurrency = 1, MaxRetries = 0, Timeout = TimeSpan.FromHours(1) };
        var shadow = factory.Create(Model(wire), settings, new ModelClientOptions { MaxQueueWait = TimeSpan.FromSeconds(2), Lane = "shadow" });
        var callers = factory.Create(Model(wire), settings, new ModelClientOptions { MaxQueueWait = TimeSpan.FromSeconds(2) });
        var (messages, options) = ProviderWireTests.Conversation();
        using var hang = new CancellationTokenSource();
        var hanging = shadow.GetResponseAsync(messages, options, hang.Token);
        await WaitUntilAsync(() => !_server.Requests.IsEmpty);

        var served = await callers.GetResponseAsync(messages, options);

        Assert.Equal("ok", served.Text);
        Assert.Equal(2, _server.Requests.Count);
        await hang.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hanging);
    }

    // The latency an eval counts (and the response cache keeps) is the successful attempt's: a 429 that asked for a
    // 50 s wait before it must not make the case 50 s slow. The clock is fake: it moves only when the test moves it,
    // 1 s at a time while the call waits, so the wait shows in the call's elapsed time and (with the old measurement
    // around the whole call) would show in its latency.
    [Fact]
    public async Task GetResponse_AfterARetry_LatencyIsTheSuccessfulAttemptsOnly()
    {
        var wire = WireFormat.OpenAI;
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        _server.Enqueue(FakeProviderServer.Json(wire.Error("slow down"), 429, ("retry-after", "50")), FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = Factory(time);
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 1 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var started = time.GetTimestamp();
        var call = client.GetResponseAsync(messages, options);
        for (var i = 0; i < 1000 && !call.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var response = await call;
        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(2, Glidepath.Models.ModelResponseProperties.AttemptsOf(response.AdditionalProperties));
        Assert.True(time.GetElapsedTime(started) >= TimeSpan.FromSeconds(50));
        Assert.True(Glidepath.Models.ModelResponseProperties.LatencyOf(response.AdditionalProperties) < 50_000, $"latency {Glidepath.Models.ModelResponseProperties.LatencyOf(response.AdditionalProperties)} ms");
    }

    [Theory]
    [InlineData("retry-after-ms", "1e300")]
    [InlineData("retry-after-ms", "Infinity")]
    [InlineData("retry-after", "99999999")]
    public async Task GetResponse_RetryAfterBeyondCap_FailsRateLimitedWithoutRetryOrOverflow(string header, string value)
    {
        var wire = WireFormat.OpenAI;
        _server.Enqueue(FakeProviderServer.Json(wire.Error("slow down"), 429, (header, value)), FakeProviderServer.Json(wire.Text("ok", 5, 1)));
        using var factory = Factory(TimeProvider.System);
        var client = factory.Create(Model(wire), Settings(wire), new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal((ProviderFailure.RateLimited, 429, 1), (ex.Failure, ex.StatusCode, ex.Attempts));
        Assert.True(ex.RetryAfter > TimeSpan.FromMinutes(1));
        Assert.Single(_server.Requests);
    }

    private static async Task DrainAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        await foreach (var _ in updates)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static ModelClientFactory Factory(TimeProvider time) => ResilienceKit.Factory(time);

    private static ModelSpec Model(WireFormat wire) => ResilienceKit.Model(wire);

    private ProviderSettings Settings(WireFormat wire) => ResilienceKit.Settings(wire, _server, maxRetries: 2);
}
