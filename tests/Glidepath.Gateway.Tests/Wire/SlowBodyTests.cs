using System.Net;
using System.Text;
using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Gateway.Wire;
using Glidepath.Providers.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>
/// A request body that stops coming (slower than the server's minimum data rate) is a 408 in the caller's format, in the
/// gateway's words (it was a 400 naming the server's own setting, MinRequestBodyDataRate), traced as a refusal: the
/// caller's doing, never an error of the release.
/// </summary>
public sealed class SlowBodyTests : IAsyncLifetime
{
    private const string KestrelsMessage = "Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.";

    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    public async Task Handle_BodyArrivesTooSlowly_408InCallersFormatTracedAsRefusal(string path)
    {
        var endpoint = _f.Server!.Services.GetRequiredService<ChatEndpoint>();
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Body = new BrokenBodyStream(Encoding.UTF8.GetBytes("""{"model":"support-agent","mess"""), () => new BadHttpRequestException(KestrelsMessage, StatusCodes.Status408RequestTimeout));
        var output = new MemoryStream();
        http.Response.Body = output;
        IWireFormat wire = path == "/v1/messages" ? AnthropicWire.Instance : OpenAiWire.Instance;

        await endpoint.HandleAsync(http, wire);

        Assert.Equal(408, http.Response.StatusCode);
        var message = WireAssert.ErrorMessage(path, Encoding.UTF8.GetString(output.ToArray()));
        Assert.Contains("arrived too slowly", message, StringComparison.Ordinal);
        Assert.DoesNotContain("MinRequestBodyDataRate", message, StringComparison.Ordinal);
        var trace = await WireAssert.TraceAsync(_f, http.Response.Headers["Glidepath-Trace"].ToString());
        Assert.Equal((408, "bad_request", false), (trace.Status, trace.Error, trace.IsError));
        Assert.Equal(0, _f.Models.Clients.Values.Sum(c => c.Calls));
    }

    // Against a real Kestrel whose minimum body data rate the stalled body cannot meet: what the server throws is read as
    // too slow. The body never completes, so the outcome does not depend on timing, only how soon it comes.
    [Fact]
    public async Task ReadAsync_KestrelsMinimumBodyDataRateNotMet_TooSlow()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(bytesPerSecond: 1_000_000, gracePeriod: TimeSpan.FromSeconds(1.5)));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async ctx =>
        {
            using var body = new PooledBuffer(1024);
            try
            {
                await RequestReader.ReadAsync(ctx.Request, OpenAiWire.Instance, 1 << 20, body, ctx.RequestAborted);
                ctx.Response.StatusCode = 200;
            }
            catch (WireException ex)
            {
                ctx.Response.StatusCode = ex.Status;
                await ctx.Response.WriteAsync(ex.Message);
            }
        });
        await app.StartAsync();
        var url = new Uri(app.Urls.First());
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + """{"model":"support-agent","mess""";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(head));

        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // a bound on a broken server, not the outcome
        var answer = await new StreamReader(stream).ReadToEndAsync(giveUp.Token);

        Assert.StartsWith("HTTP/1.1 408 ", answer, StringComparison.Ordinal);
        Assert.Contains(RequestReader.TooSlow().Message, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("MinRequestBodyDataRate", answer, StringComparison.Ordinal);
        await app.StopAsync();
    }
}
