using System.Buffers;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>
/// A real OpenAI-compatible and Anthropic upstream on 127.0.0.1 whose answers are the world's scripted model clients
/// (by the <c>model</c> the request names): the gateway's own wire formats read what arrives and write the answers, so
/// every gateway test scripted with <see cref="FakeModelClientFactory"/> runs over HTTP too, through the translating
/// path (the provider SDKs) or the pass-through path. A scripted <see cref="ProviderException"/> is answered with its status.
/// </summary>
internal sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedUpstream(WebApplication app, string root)
    {
        _app = app;
        Root = root;
    }

    /// <summary>http://127.0.0.1:PORT: Anthropic's base URL (OpenAI's is this plus /v1).</summary>
    public string Root { get; }

    /// <summary>The last request body the upstream received, as sent by the gateway.</summary>
    public string? LastBody { get; private set; }

    /// <summary>Every request body received, in order of arrival.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Bodies { get; } = new();

    /// <summary>Every request's headers (names lower-case, values joined by commas), in order of arrival, with its body.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Body, IReadOnlyDictionary<string, string> Headers)> Requests { get; } = new();

    /// <summary>The scripted clients answering (set once the world that owns them exists).</summary>
    public FakeModelClientFactory? Models { get; set; }

    public static async Task<ScriptedUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ScriptedUpstream? upstream = null;
        app.MapPost("/v1/chat/completions", ctx => upstream!.ServeAsync(ctx, OpenAiWire.Instance));
        app.MapPost("/v1/messages", ctx => upstream!.ServeAsync(ctx, AnthropicWire.Instance));
        await app.StartAsync();
        upstream = new ScriptedUpstream(app, app.Urls.First().TrimEnd('/'));
        return upstream;
    }

    /// <summary>The manifest with its release on <paramref name="provider"/> (openai or anthropic) at this upstream, without retries.</summary>
    public string Manifest(string yaml, string provider, string anthropicSettings = "") => yaml
        .Replace("provider: sim", "provider: " + provider, StringComparison.Ordinal)
        .Replace("anthropic: { base_url: https://api.anthropic.com, api_key_env: ANTHROPIC_API_KEY }", $"anthropic: {{ base_url: \"{Root}\", api_key_env: ANTHROPIC_API_KEY, max_retries: 0{anthropicSettings} }}", StringComparison.Ordinal)
        .Replace("openai: { base_url: https://api.openai.com/v1, api_key_env: OPENAI_API_KEY }", $"openai: {{ base_url: \"{Root}/v1\", max_retries: 0 }}", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ServeAsync(HttpContext ctx, IWireFormat wire)
    {
        var models = Models ?? throw new InvalidOperationException("set the upstream's Models before sending to it");
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body);
        LastBody = System.Text.Encoding.UTF8.GetString(body.ToArray());
        Bodies.Enqueue(LastBody);
        Requests.Enqueue((LastBody, ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal)));
        var request = RequestReader.Parse(body.ToArray(), wire);
        var client = models.For(request.Model);
        var context = new ResponseContext("up-" + Guid.NewGuid().ToString("N")[..12], request.Model, 1_700_000_000);
        request.Options.ModelId = request.Model;
        var response = ctx.Response;

        // As api.openai.com and api.anthropic.com do (a load balancer's cookie on every answer): a gateway must never
        // send it back with a later caller's request.
        response.Headers.Append("Set-Cookie", $"upstream-session={Requests.Count}; Path=/; HttpOnly");
        try
        {
            if (!request.Stream)
            {
                var answer = await client.GetResponseAsync(request.Messages, request.Options, ctx.RequestAborted);
                response.ContentType = "application/json";
                var buffer = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    wire.WriteResponse(writer, answer, context);
                }

                await response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
                return;
            }

            var stream = wire.CreateStreamWriter(context, request);
            UsageDetails? usage = null;
            ChatFinishReason? finish = null;
            await foreach (var update in client.GetStreamingResponseAsync(request.Messages, request.Options, ctx.RequestAborted))
            {
                if (!response.HasStarted)
                {
                    response.ContentType = "text/event-stream";
                }

                finish = update.FinishReason ?? finish;
                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
                stream.WriteUpdate(response.BodyWriter, update);
                await response.BodyWriter.FlushAsync(ctx.RequestAborted);
            }

            stream.WriteEnd(response.BodyWriter, usage, finish);
            await response.BodyWriter.FlushAsync(ctx.RequestAborted);
        }
        catch (ProviderException ex) when (!response.HasStarted)
        {
            response.StatusCode = ex.StatusCode ?? (ex.Failure == ProviderFailure.Timeout ? 408 : 500);
            if (response.StatusCode is >= 300 and < 400)
            {
                // A redirect to this same upstream: followed, it would show as a second body in Bodies.
                response.Headers.Location = Root + ctx.Request.Path;
            }

            response.ContentType = "application/json";
            using var writer = new Utf8JsonWriter(response.BodyWriter);
            wire.WriteError(writer, Glidepath.Serving.Chat.ErrorKinds.ForStatus(response.StatusCode), ex.ProviderMessage);
        }
    }
}
