using System.Net;
using System.Text;
using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>Client mistakes never count against a release; gateway bugs still answer in the caller's format; the probe is loopback-only.</summary>
public sealed class ClientErrorAccountingTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        _f.ShowRoutingHeaders(); // answers name their arm here: a refusal still must not
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task ArmStats_RefusedRequests_CountNeitherAsRequestsNorErrors()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 5; i++)
        {
            using var bad = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(extra: ""","seed":1.5"""), r => r.Headers.Add("Glidepath-Subject", "mallory"));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            await WireAssert.TraceAsync(_f, bad.Headers.GetValues("Glidepath-Trace").Single());
        }

        using var good = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "alice"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        await WireAssert.TraceAsync(_f, good.Headers.GetValues("Glidepath-Trace").Single());

        var stats = Assert.Single(await _f.Store.Traces.ArmStatsAsync("support-agent", "staging", since, null, default));
        Assert.Equal((1L, 0L), (stats.Count, stats.Errors));
    }

    [Fact]
    public async Task Handle_ConnectionFailsMidBody_400RefusalNotGatewayError()
    {
        var forwarder = _f.Server!.Services.GetRequiredService<ChatEndpoint>();
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Headers["Glidepath-Subject"] = "mallory";
        http.Request.Body = new BrokenBodyStream(Encoding.UTF8.GetBytes("""{"model":"support-agent","mess"""), () => new IOException("Connection reset by peer"));
        http.Response.Body = new MemoryStream();

        await forwarder.HandleAsync(http, OpenAiWire.Instance);

        Assert.Equal(400, http.Response.StatusCode);
        var trace = await WireAssert.TraceAsync(_f, http.Response.Headers["Glidepath-Trace"].ToString());
        Assert.Equal(("bad_request", false), (trace.Error, trace.IsError));
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    public async Task Post_UnexpectedFailureInGateway_500WithWireBodyAndTrace(string path)
    {
        // A tool-call argument the JSON writer cannot serialize: a bug on the gateway's side, not the caller's or the provider's.
        _f.Models.For("stable-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["bad"] = typeof(string) })]));
        var body = path.EndsWith("completions", StringComparison.Ordinal) ? GatewayFixture.Chat() : GatewayFixture.Message();

        using var response = await _f.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("failed unexpectedly", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(_f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((500, "gateway_error", true), (trace.Status, trace.Error, trace.IsError));
    }

    [Theory]
    [InlineData("192.0.2.7")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task RouteProbe_WithoutAnAdminToken_403InWireFormatWithoutArm_LoopbackIncluded(string remote)
    {
        var forwarder = _f.Server!.Services.GetRequiredService<ChatEndpoint>();
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Headers["Glidepath-Probe"] = "route";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(GatewayFixture.Chat()));
        var output = new MemoryStream();
        http.Response.Body = output;

        await forwarder.HandleAsync(http, OpenAiWire.Instance);

        Assert.Equal(403, http.Response.StatusCode);
        Assert.False(http.Response.Headers.ContainsKey("Glidepath-Arm"));
        Assert.Contains("Glidepath-Admin-Token", WireAssert.ErrorMessage("/v1/chat/completions", Encoding.UTF8.GetString(output.ToArray())), StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.For("stable-model").Calls);
    }
}
