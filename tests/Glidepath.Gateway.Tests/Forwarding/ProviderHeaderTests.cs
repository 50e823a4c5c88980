using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// Which of a caller's request headers reach the provider: on the Anthropic pass-through path its <c>anthropic-beta</c>
/// (beta names only, checked), which the body's beta fields need; nothing else of the caller's — not its key, not its
/// <c>anthropic-version</c> (the gateway sends its own), not any other header.
/// </summary>
public sealed class ProviderHeaderTests
{
    private const string Messages = "/v1/messages";

    [Fact]
    public async Task Messages_PassThrough_CallersAnthropicBetaReachesTheProvider_NoOtherCallerHeader()
    {
        await using var f = await StartAsync(new GatewayUpstream("anthropic", PassThrough: true));

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
        Assert.Equal("context-1m-2025-08-07,files-api-2025-04-14", headers["anthropic-beta"]);
        Assert.Equal("2023-06-01", headers["anthropic-version"]); // the version the gateway's reader and tap are written for
        Assert.Equal("sk-test-upstream-key", headers["x-api-key"]); // the provider's key, from the manifest's variable
        Assert.DoesNotContain(headers, h => h.Value.Contains("caller-secret", StringComparison.Ordinal) || h.Value.Contains("private", StringComparison.Ordinal));
        Assert.False(headers.ContainsKey("x-caller-note"));
    }

    [Fact]
    public async Task Messages_PassThroughMirroredToShadow_CandidateGetsTheBetaToo()
    {
        await using var f = await StartAsync(new GatewayUpstream("anthropic", PassThrough: true));
        var state = await f.SetAsync(s => s with { Shadow = new ShadowState("sh-beta", f.V2.Id, 1, null, null) }, EnvironmentEventKinds.ShadowStart);
        await f.WaitForRevisionAsync(state.Revision);

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r => r.Headers.Add("anthropic-beta", "context-1m-2025-08-07"));
        await StoreWait.ShadowPairAsync(f.Store, "sh-beta", response.Headers.GetValues("Glidepath-Trace").Single());

        Assert.Equal(2, f.Upstream!.Requests.Count);
        Assert.All(f.Upstream.Requests, r => Assert.Equal("context-1m-2025-08-07", r.Headers["anthropic-beta"]));
    }

    [Theory]
    [InlineData("sk-ant-api03-AbCdEf_0123456789")]
    [InlineData("context-1m-2025-08-07 files-api-2025-04-14")]
    [InlineData("beta=1")]
    [InlineData("-leading-dash")]
    [InlineData("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q")]
    public async Task Messages_AnthropicBetaThatIsNotAListOfBetaNames_400NamingTheHeader_NothingSent(string value)
    {
        await using var f = await StartAsync(new GatewayUpstream("anthropic", PassThrough: true));

        using var response = await f.PostAsync(Messages, GatewayFixture.Message(), r => r.Headers.TryAddWithoutValidation("anthropic-beta", value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'anthropic-beta'", WireAssert.ErrorMessage(Messages, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((400, "bad_request"), (trace.Status, trace.Error));
        Assert.Empty(f.Upstream!.Requests);
    }

    [Fact]
    public async Task Messages_Translated_SendsNoBetaHeaderAndTheSdksOwnVersion()
    {
        // With pass-through off the body is the SDK's, without the caller's beta fields: a beta header alone would
        // change what the provider answers, in a shape the SDK may not read.
        await using var f = await StartAsync(new GatewayUpstream("anthropic", PassThrough: false));

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

    private static async Task<GatewayFixture> StartAsync(GatewayUpstream upstream)
    {
        var f = await GatewayFixture.CreateAsync(upstream: upstream);
        await f.StartAsync();
        return f;
    }
}
