using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>
/// How a provider's failure reads, on the SDK clients over real HTTP: an error event or an early end after the stream
/// began (a failure, never a shorter answer), an overloaded status (the overloaded signal, not a server error), and a
/// connection the provider cut after the request arrived (not "cannot reach").
/// </summary>
public sealed class ProviderFailureTests : IAsyncLifetime
{
    private FakeProviderServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeProviderServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("openai", """data: {"error":{"message":"upstream broke mid stream","type":"server_error"}}""")]
    [InlineData("anthropic", "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream broke mid stream\"}}")]
    public async Task GetStreamingResponse_ErrorEventAfterFirstChunks_ThrowsWithTheProvidersMessage(string provider, string errorEvent)
    {
        // The OpenAI SDK reads such an event as an empty update and carries on; the answer must not end as if finished.
        var wire = WireFormat.Of(provider);
        var events = wire.Stream(["Items ", "can be ", "returned."], 50, 6).Take(provider == "openai" ? 2 : 3).Append(errorEvent).ToList();
        _server.Enqueue(FakeProviderServer.Sse(events));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 0 }, new ModelClientOptions());

        var received = new List<string>();
        var ex = await StreamFailsAsync(client, received);

        Assert.Contains("upstream broke mid stream", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Contains("Items ", string.Concat(received), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetStreamingResponse_StreamEndsWithoutFinishReason_ThrowsInsteadOfEndingQuietly(string provider)
    {
        // No finish_reason and no [DONE] (OpenAI), no message_delta and no message_stop (Anthropic): cut short upstream.
        var wire = WireFormat.Of(provider);
        var events = wire.Stream(["Items ", "can be ", "returned."], 50, 6).Take(provider == "openai" ? 2 : 4).ToList();
        _server.Enqueue(FakeProviderServer.Sse(events));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 0 }, new ModelClientOptions());

        var received = new List<string>();
        var ex = await StreamFailsAsync(client, received);

        Assert.Contains("no finish reason", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Operational, ex.Kind);
        Assert.Equal("Items can be ", string.Concat(received));
    }

    [Theory]
    [InlineData("anthropic", 529)]
    [InlineData("anthropic", 503)]
    [InlineData("openai", 503)]
    public async Task GetResponse_ProviderOverloaded_FailsAsOverloadedWithItsStatus(string provider, int status)
    {
        // The gateway answers this 503 overloaded_error (provider_overloaded), not 502: the provider asked to come back later.
        var wire = WireFormat.Of(provider);
        _server.Enqueue(FakeProviderServer.Json(wire.Error("Overloaded"), status));
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 0 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal((ProviderFailure.RateLimited, status), (ex.Failure, ex.StatusCode));
        Assert.True(ex.IsTransient);
        Assert.Contains("Overloaded", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_ConnectionCutAfterTheRequestArrived_SaysSoNotCannotReach(string provider)
    {
        var wire = WireFormat.Of(provider);
        _server.Enqueue(ctx =>
        {
            ctx.Abort();
            return Task.CompletedTask;
        });
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { MaxRetries = 0 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(ProviderFailure.Connection, ex.Failure);
        Assert.Contains("failed before the provider answered", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetResponse_NothingListening_CannotReach()
    {
        var wire = WireFormat.OpenAI;
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port that was free a moment ago: nothing listens there now
        using var factory = Factory();
        var client = factory.Create(Model(wire), Settings(wire) with { BaseUrl = $"http://127.0.0.1:{port}/v1", MaxRetries = 0 }, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(ProviderFailure.Connection, ex.Failure);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}", ex.ProviderMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task GetResponse_NothingListeningAtAnAddressWithPasswordAndQuery_CannotReachWithoutEither(string provider)
    {
        // A host embedding the providers can hand ProviderSettings over without the manifest's check: the message still
        // names the address the way a redirect's target is named (attack trial D, finding 3).
        var wire = WireFormat.Of(provider);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var factory = Factory();
        var settings = Settings(wire) with { BaseUrl = $"http://ubuser:UBPASS-SECRET@127.0.0.1:{port}/v1?api-key=QSECRET", MaxRetries = 0 };
        var client = factory.Create(Model(wire), settings, new ModelClientOptions());

        var (messages, options) = ProviderWireTests.Conversation();
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));

        Assert.Equal(ProviderFailure.Connection, ex.Failure);
        Assert.Contains($"cannot reach http://127.0.0.1:{port}/", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("ubuser", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("UBPASS", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("QSECRET", ex.Message, StringComparison.Ordinal);
    }

    private static ModelClientFactory Factory() => ResilienceKit.Factory();

    private static ModelSpec Model(WireFormat wire) => ResilienceKit.Model(wire);

    private ProviderSettings Settings(WireFormat wire) => ResilienceKit.Settings(wire, _server, maxRetries: 0);

    /// <summary>Reads the stream into <paramref name="received"/> until it fails, and returns how it failed.</summary>
    private static Task<ProviderException> StreamFailsAsync(Microsoft.Extensions.AI.IChatClient client, List<string> received)
    {
        var (messages, options) = ProviderWireTests.Conversation();
        return Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var u in client.GetStreamingResponseAsync(messages, options))
            {
                received.Add(u.Text);
            }
        });
    }
}
