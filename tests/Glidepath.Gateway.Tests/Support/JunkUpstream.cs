using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>An OpenAI-compatible (or Anthropic) upstream on 127.0.0.1 that answers every request with the same status, type and body.</summary>
internal sealed class JunkUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private JunkUpstream(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The base URL to put in the manifest's <c>providers.openai.base_url</c> (ends in /v1).</summary>
    public string BaseUrl { get; }

    public int Requests => _requests;

    /// <summary>When set, requests after the first <see cref="FailFirst"/> get this answer instead (a provider that recovers).</summary>
    public (int Status, string ContentType, string Body)? Then { get; set; }

    /// <summary>How many requests get the failing answer before <see cref="Then"/>.</summary>
    public int FailFirst { get; set; }

    /// <summary>When set, the body is sent and flushed, then the connection is held open until the caller gives up (a provider that never ends its stream).</summary>
    public bool HoldOpen { get; set; }

    /// <summary>
    /// How many requests (the first ones) get their status and headers at once and then no byte of body until the caller
    /// gives up: a model whose first chunk comes after the gateway's timeout.
    /// </summary>
    public int StallFirstChunk { get; set; }

    /// <summary>
    /// Sent and flushed before anything else of a stalled request's body (<see cref="StallFirstChunk"/>) and of every
    /// other answer's, e.g. an SSE comment (<c>": keep-alive\n\n"</c>): a server or proxy that sends one at once.
    /// </summary>
    public string? Preamble { get; set; }

    private int _requests;

    /// <summary>An upstream that never answers: each request waits until the caller gives up.</summary>
    public static Task<JunkUpstream> StartHangingAsync() => StartAsync(0, "", "");

    /// <param name="status">0 hangs every request until the caller gives up.</param>
    /// <param name="headers">Added to every answer (e.g. <c>retry-after</c>).</param>
    public static async Task<JunkUpstream> StartAsync(int status, string contentType, string body, params (string Name, string Value)[] headers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        JunkUpstream? upstream = null;
        app.Run(async ctx =>
        {
            var n = Interlocked.Increment(ref upstream!._requests);
            if (n <= upstream.StallFirstChunk)
            {
                ctx.Response.StatusCode = status;
                ctx.Response.ContentType = contentType;
                await ctx.Response.StartAsync();
                if (upstream.Preamble is { } stalled)
                {
                    await ctx.Response.WriteAsync(stalled);
                }

                await ctx.Response.Body.FlushAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (upstream.Then is { } then && n > upstream.FailFirst)
            {
                ctx.Response.StatusCode = then.Status;
                ctx.Response.ContentType = then.ContentType;
                await ctx.Response.WriteAsync(then.Body);
                return;
            }

            if (status == 0)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = contentType;
            foreach (var (name, value) in headers)
            {
                ctx.Response.Headers[name] = value;
            }

            if (upstream.Preamble is { } preamble)
            {
                await ctx.Response.WriteAsync(preamble);
                await ctx.Response.Body.FlushAsync();
            }

            await ctx.Response.WriteAsync(body);
            if (upstream.HoldOpen)
            {
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
        await app.StartAsync();
        upstream = new JunkUpstream(app, app.Urls.First().TrimEnd('/') + "/v1");
        return upstream;
    }

    /// <summary>The sample manifest with its release on the anthropic provider at this upstream (base URL without /v1), without retries.</summary>
    public string AnthropicManifest(string yaml) => yaml
        .Replace("provider: sim", "provider: anthropic", StringComparison.Ordinal)
        .Replace("anthropic: { base_url: https://api.anthropic.com, api_key_env: ANTHROPIC_API_KEY }", $"anthropic: {{ base_url: \"{BaseUrl[..^3]}\", api_key_env: ANTHROPIC_API_KEY, max_retries: 0 }}", StringComparison.Ordinal);

    /// <summary>The manifest edit that puts the release on <paramref name="provider"/> (openai or anthropic) at this upstream, without retries.</summary>
    public Func<string, string> ManifestFor(string provider) => provider == "anthropic" ? AnthropicManifest : Manifest;

    /// <summary>The sample manifest with its release on the openai provider at this upstream, without retries.</summary>
    public string Manifest(string yaml) => Manifest(yaml, "");

    /// <param name="settings">More provider settings, e.g. <c>", max_concurrency: 1"</c>.</param>
    public string Manifest(string yaml, string settings) => yaml
        .Replace("provider: sim", "provider: openai", StringComparison.Ordinal)
        .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }", $"openai: {{ base_url: \"{BaseUrl}\", max_retries: 0{settings} }}", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
