using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// Which of a caller's request headers reach the provider: on the Anthropic pass-through path the <c>anthropic-beta</c>
/// names the operator listed in <c>providers.anthropic.caller_betas</c> (a beta can change the cost, or make the provider
/// refuse the request); nothing else of the caller's — not its key, not its <c>anthropic-version</c> (the gateway sends
/// its own), not any other header, and no beta at all without the list.
/// </summary>
public sealed class ProviderHeaderTests
{
    private const string Messages = "/v1/messages";

    private static readonly GatewayUpstream Listed = new("anthropic", PassThrough: true, ", caller_betas: [context-1m-2025-08-07]");

    [Fact]
    public async Task Messages_PassThrough_TheListedBetaReachesTheProvider_NoOtherBetaOrCallerHeader()
    {
        await using var f = await StartAsync(Listed);

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r =>
        {
            r.Headers.Add("anthropic-beta", "context-1m-2025-08-07, files-api-2025-04-14");
            r.Headers.Add("anthropic-version", "2024-01-01");
            r.Headers.Add("x-api-key", "caller-secret-1");
            r.Headers.Add("Authorization", "Bearer caller-secret-2");
            r.Headers.Add("X-Caller-Note", "private");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, headers) = Assert.Single(f.Upstream!.Requests);
        Assert.Equal("context-1m-2025-08-07", headers["anthropic-beta"]); // files-api is not in caller_betas
        Assert.Equal("2023-06-01", headers["anthropic-version"]); // the version the gateway's reader and tap are written for
        Assert.Equal("sk-test-4f9Qz7Xw2Lk8", headers["x-api-key"]); // the provider's key, from the manifest's variable
        Assert.DoesNotContain(headers, h => h.Value.Contains("caller-secret", StringComparison.Ordinal) || h.Value.Contains("private", StringComparison.Ordinal));
        Assert.False(headers.ContainsKey("x-caller-note"));
    }

    [Fact]
    public async Task Messages_PassThroughMirroredToShadow_CandidateGetsTheBetaToo()
    {
        await using var f = await StartAsync(Listed);
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-beta", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r => r.Headers.Add("anthropic-beta", "context-1m-2025-08-07"));
        await StoreWait.ShadowPairAsync(f.Store, "sh-beta", response.Headers.GetValues("Glidepath-Trace").Single());

        Assert.Equal(2, f.Upstream!.Requests.Count);
        Assert.All(f.Upstream.Requests, r => Assert.Equal("context-1m-2025-08-07", r.Headers["anthropic-beta"]));
    }

    // Without caller_betas the header goes nowhere, as before it was forwarded at all; and whatever a caller writes in it,
    // only the listed names can be sent (so no key, no other header's text): nothing is refused over it either.
    [Theory]
    [InlineData("", "context-1m-2025-08-07")]
    [InlineData(", caller_betas: [context-1m-2025-08-07]", "sk-ant-api03-AbCdEf_0123456789")]
    [InlineData(", caller_betas: [context-1m-2025-08-07]", "context-1m-2025-08-07x, beta=1")]
    [InlineData(", caller_betas: [context-1m-2025-08-07]", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q")]
    public async Task Messages_PassThrough_BetaNotListed_Dropped_RequestServed(string settings, string value)
    {
        await using var f = await StartAsync(new GatewayUpstream("anthropic", PassThrough: true, settings));

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r => r.Headers.TryAddWithoutValidation("anthropic-beta", value));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, headers) = Assert.Single(f.Upstream!.Requests);
        Assert.False(headers.ContainsKey("anthropic-beta"));
    }

    [Fact]
    public async Task Messages_Translated_SendsNoBetaHeaderAndTheSdksOwnVersion()
    {
        // With pass-through off the body is the SDK's, without the caller's beta fields: a beta header alone would
        // change what the provider answers, in a shape the SDK may not read.
        await using var f = await StartAsync(Listed with { PassThrough = false });

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r => r.Headers.Add("anthropic-beta", "context-1m-2025-08-07"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, headers) = Assert.Single(f.Upstream!.Requests);
        Assert.False(headers.ContainsKey("anthropic-beta"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", headers["anthropic-version"]);
    }

    [Fact]
    public async Task ChatCompletions_PassThrough_AnthropicBetaIsNeitherCheckedNorSent()
    {
        await using var f = await StartAsync(new GatewayUpstream("openai", PassThrough: true));

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.TryAddWithoutValidation("anthropic-beta", "not a beta"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, headers) = Assert.Single(f.Upstream!.Requests);
        Assert.False(headers.ContainsKey("anthropic-beta"));
    }

    // One connection handler serves every caller: a cookie the provider set for one caller must not go with the next
    // caller's request, and the caller's trace context (its trace id, tracestate, baggage) is the caller's to keep.
    [Theory]
    [InlineData("openai", true, "/v1/chat/completions")]
    [InlineData("openai", false, "/v1/chat/completions")]
    [InlineData("anthropic", true, Messages)]
    [InlineData("anthropic", false, Messages)]
    [InlineData("anthropic", false, "/v1/chat/completions")]
    public async Task AnyPath_ProviderCookieAndCallerTraceContext_NeverSentUpstream(string provider, bool passThrough, string path)
    {
        await using var f = await StartAsync(new GatewayUpstream(provider, passThrough));
        var body = path == Messages ? GatewayFixture.Message() : GatewayFixture.Chat();

        for (var i = 0; i < 2; i++)
        {
            using var response = await f.PostAsync(path, body, r =>
            {
                r.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
                r.Headers.Add("tracestate", "congo=t61rcWkgMzE");
                r.Headers.Add("baggage", "tenant=acme,email=alice%40example.com");
            });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, f.Upstream!.Requests.Count);
        foreach (var (_, headers) in f.Upstream.Requests)
        {
            Assert.False(headers.ContainsKey("cookie"), "a provider's cookie was sent back: " + headers.GetValueOrDefault("cookie"));
            Assert.False(headers.ContainsKey("tracestate"));
            Assert.False(headers.ContainsKey("baggage"));
            Assert.DoesNotContain(headers, h => h.Value.Contains("4bf92f3577b34da6a3ce929d0e0e4736", StringComparison.Ordinal));
        }
    }

    private static async Task<GatewayFixture> StartAsync(GatewayUpstream upstream)
    {
        var f = await GatewayFixture.CreateAsync(upstream: upstream);
        await f.StartAsync();
        return f;
    }
}
