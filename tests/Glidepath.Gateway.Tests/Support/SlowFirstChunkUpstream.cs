using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1 whose streams send their 200 headers at once and their first chunk only
/// after <see cref="FirstChunkDelay"/>, then the rest: a model that thinks before it answers. A whole answer comes at once.
/// It measures, on the process's own monotonic clock, how long each stream held its first chunk after the request arrived.
/// </summary>
internal sealed class SlowFirstChunkUpstream : IAsyncDisposable
{
    private const string Whole = """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Within 30 days."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";

    private const string First = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Within"},"finish_reason":null}]}""" + "\n\n";

    private static readonly string Rest = string.Concat(((string[])
    [
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" 30 days."},"finish_reason":null}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""",
        "data: [DONE]",
    ]).Select(e => e + "\n\n"));

    private readonly WebApplication _app;

    private SlowFirstChunkUpstream(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The base URL for <c>providers.openai.base_url</c> (ends in /v1).</summary>
    public string BaseUrl { get; }

    public TimeSpan FirstChunkDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Each stream's time from the request's arrival to its first chunk being written, in milliseconds.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<double> HeldMs { get; } = new();

    public static async Task<SlowFirstChunkUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        SlowFirstChunkUpstream? upstream = null;
        app.Run(ctx => upstream!.ServeAsync(ctx));
        await app.StartAsync();
        upstream = new SlowFirstChunkUpstream(app, app.Urls.First().TrimEnd('/') + "/v1");
        return upstream;
    }

    /// <summary>The sample manifest with its release on the openai provider at this upstream, without retries.</summary>
    public string Manifest(string yaml) => yaml
        .Replace("provider: sim", "provider: openai", StringComparison.Ordinal)
        .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }", $"openai: {{ base_url: \"{BaseUrl}\", max_retries: 0 }}", StringComparison.Ordinal);

    private async Task ServeAsync(HttpContext ctx)
    {
        var arrived = Stopwatch.GetTimestamp();
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync(ctx.RequestAborted);
        if (!body.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(Whole, ctx.RequestAborted);
            return;
        }

        ctx.Response.ContentType = "text/event-stream";
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await Task.Delay(FirstChunkDelay, ctx.RequestAborted);
        HeldMs.Enqueue(Stopwatch.GetElapsedTime(arrived).TotalMilliseconds);
        await ctx.Response.WriteAsync(First, ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await ctx.Response.WriteAsync(Rest, ctx.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
