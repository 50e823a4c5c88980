using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Bench.Gateway;

/// <summary>An OpenAI-compatible upstream that answers at once with a fixed completion: the gateway's cost is all that is left.</summary>
internal sealed class MockUpstream : IAsyncDisposable
{
    private static readonly byte[] Body = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"mock","choices":[{"index":0,"message":{"role":"assistant","content":"Items can be returned within 30 days of delivery."},"finish_reason":"stop"}],"usage":{"prompt_tokens":700,"completion_tokens":12,"total_tokens":712}}
        """u8.ToArray();

    private readonly WebApplication _app;

    private MockUpstream(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<MockUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            // Drain the request as a real server would, then answer.
            await http.Request.Body.CopyToAsync(Stream.Null);
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = Body.Length;
            await http.Response.Body.WriteAsync(Body);
        });
        await app.StartAsync();
        return new MockUpstream(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
