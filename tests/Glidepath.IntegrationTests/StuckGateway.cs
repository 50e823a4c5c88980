using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A gateway that stopped following its store: it says it serves the app's environment and answers every request from
/// one release, whatever the store says. What a drill must catch (the rollback is never served), deterministically.
/// </summary>
internal sealed class StuckGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StuckGateway(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<StuckGateway> StartAsync(string app, string environment, string releaseLabel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        web.MapGet("/readyz", () => Results.Json(new { app, environment, control_plane = "ok" }));
        web.MapPost("/v1/chat/completions", (HttpContext http) =>
        {
            http.Response.Headers["Glidepath-Release"] = releaseLabel;
            return Results.Text("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[]}""", "application/json");
        });
        await web.StartAsync();
        return new StuckGateway(web, web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
