using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (random port) that plays scripted responses in order and records
/// every request, standing in for api.openai.com and api.anthropic.com.
/// </summary>
internal sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();

    private FakeProviderServer(WebApplication app)
    {
        _app = app;
    }

    public string BaseUrl { get; private set; } = "";

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Requests that reached the handler, counted before their body is read: a request the client gives up on
    /// while the server is still reading it (a timeout on a loaded machine) is an arrival but not in <see cref="Requests"/>.</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    private int _arrivals;

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Urls.First().TrimEnd('/');
        return server;
    }

    /// <summary>Queues the next response(s).</summary>
    public void Enqueue(params Func<HttpContext, Task>[] responses)
    {
        foreach (var r in responses)
        {
            _script.Enqueue(r);
        }
    }

    public static Func<HttpContext, Task> Json(string json, int status = 200, params (string Name, string Value)[] headers) => async ctx =>
    {
        ctx.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            ctx.Response.Headers[name] = value;
        }

        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json);
    };

    /// <summary>Server-sent events, flushed one by one; <paramref name="stallAfter"/> stops sending (but keeps the connection open) after that many events.</summary>
    public static Func<HttpContext, Task> Sse(IReadOnlyList<string> events, int? stallAfter = null) => async ctx =>
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        for (var i = 0; i < events.Count; i++)
        {
            if (stallAfter == i)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await ctx.Response.WriteAsync(events[i] + "\n\n");
            await ctx.Response.Body.FlushAsync();
        }
    };

    /// <summary>Never answers until the client gives up.</summary>
    public static Func<HttpContext, Task> Stall() => ctx =>
        Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref _arrivals);
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        Requests.Enqueue(new RecordedRequest(ctx.Request.Path, ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        if (_script.TryDequeue(out var respond))
        {
            await respond(ctx);
            return;
        }

        ctx.Response.StatusCode = 500;
        await ctx.Response.WriteAsync("{\"error\":{\"message\":\"fake server: no scripted response left\"}}");
    }
}

internal sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Headers, string Body);
