using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
        var (web, url) = await LoopbackApp.StartAsync(web =>
        {
            web.MapGet("/readyz", () => Results.Json(new { app, environment, control_plane = "ok" }));
            web.MapPost("/v1/chat/completions", (HttpContext http) =>
            {
                http.Response.Headers["Glidepath-Release"] = releaseLabel;
                return Results.Text("""{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[]}""", "application/json");
            });
        });
        return new StuckGateway(web, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
