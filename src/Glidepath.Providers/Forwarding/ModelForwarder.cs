using System.Net.Http.Headers;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Sends a request body that is already in the provider's own wire format (the pass-through path) and hands back its
/// answer for copying. Built once per release; every call goes through the same handlers: GenAI span and cost →
/// concurrency limit → retries and timeout → provider error mapping → the factory's pooled connection handler.
/// Thread-safe.
/// </summary>
public sealed class ModelForwarder
{
    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _endpoint;
    private readonly (string Name, string Value)[] _headers;
    private readonly ResilienceSettings _settings;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _callerBetas;

    /// <param name="callerBetas">The beta names a caller's <c>anthropic-beta</c> may send (<c>caller_betas</c>); others are dropped.</param>
    internal ModelForwarder(ModelSpec model, Uri endpoint, (string Name, string Value)[] headers, HttpMessageHandler handlers, ResilienceSettings settings, TimeProvider time, IReadOnlyList<string>? callerBetas = null)
    {
        _callerBetas = callerBetas ?? [];
        Model = model;
        _endpoint = endpoint;
        _headers = headers;
        _invoker = new HttpMessageInvoker(handlers, disposeHandler: false);
        _settings = settings;
        _time = time;
    }

    /// <summary>The release's model (its provider is the wire format this forwarder speaks: openai or anthropic).</summary>
    public ModelSpec Model { get; }

    /// <summary>The caller-facing API whose bodies this forwarder sends unchanged in shape: <c>openai</c> or <c>anthropic</c>.</summary>
    public string Wire => Model.Provider;

    /// <summary>
    /// Sends <paramref name="body"/> and returns the answer: a whole one read and tapped, or a stream ready to copy.
    /// A failure (the provider's error status, a timeout, no connection, a malformed answer) throws a
    /// <see cref="ProviderException"/> after the retries, as the translating path does.
    /// </summary>
    public async Task<ForwardedResponse> SendAsync(ReadOnlyMemory<byte> body, ForwardExchange exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (exchange.AnthropicBeta is { } beta && Wire == ProviderNames.Anthropic && _callerBetas.Count > 0 && Listed(beta) is { } listed)
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", listed);
        }

        request.Options.Set(ForwardExchange.Key, exchange);
        var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            exchange.UpstreamTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        }

        var status = (int)response.StatusCode;
        exchange.UpstreamStatus = status;
        var tap = ResponseTap.For(Wire);
        if (exchange.Stream)
        {
            if (response.Content.Headers.ContentType?.MediaType is not "text/event-stream")
            {
                // A JSON error body (a proxy's 200 {"error": …}) says why; anything else is simply not a stream.
                var said = await ErrorInsteadOfStreamAsync(response, cancellationToken).ConfigureAwait(false);
                throw Fail(new ForwardedResponse(response, exchange, tap, _settings, _time, default), said ?? new ProviderException(_settings.Provider, status,
                    "the provider answered a streaming request without a single event (is the body server-sent events?)", ProviderFailure.MalformedResponse));
            }

            return new ForwardedResponse(response, exchange, tap, _settings, _time, default);
        }

        var bytes = Buffered(response);
        var forwarded = new ForwardedResponse(response, exchange, tap, _settings, _time, bytes);
        ProviderException? notAnswer;
        try
        {
            tap.Body(bytes.Span, exchange);
            notAnswer = tap.NotAnAnswer(_settings.Provider, status, bytes.Span, exchange, _settings.ApiKey);
        }
        catch (JsonException ex)
        {
            notAnswer = new ProviderException(_settings.Provider, status, $"the response is not in the provider's documented format ({ex.Message})", ProviderFailure.MalformedResponse);
        }

        // Valid JSON is not enough: an error body or an answer without its parts is a clean 502, as on the translating path.
        return notAnswer is null ? forwarded : throw Fail(forwarded, notAnswer);
    }

    private static ProviderException Fail(ForwardedResponse response, ProviderException failure)
    {
        response.Exchange.Failure = nameof(ProviderFailure.MalformedResponse);
        response.Dispose();
        return failure;
    }

    /// <summary>
    /// A streaming request answered with JSON (a failure path only): the provider's error when the body is one, as the
    /// translating path's check reads it (<see cref="Http.AnswerCheckHandler"/>); else null.
    /// </summary>
    private async Task<ProviderException?> ErrorInsteadOfStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(Http.AnswerCheckHandler.MaxCheckedBytes, cancellationToken).ConfigureAwait(false);
            return ResponseTap.CheckWhole(Wire, _settings.Provider, (int)response.StatusCode, Buffered(response).Span, _settings.ApiKey);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return null;
        }
    }

    /// <summary>The body the retry handler read into memory (under the attempt's timeout), without another copy.</summary>
    private static ReadOnlyMemory<byte> Buffered(HttpResponseMessage response)
    {
        if (response.Content is PooledContent pooled)
        {
            return pooled.Memory;
        }

        var stream = response.Content.ReadAsStream();
        if (stream is MemoryStream memory && memory.TryGetBuffer(out var segment))
        {
            return segment.AsMemory((int)memory.Position);
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The caller's beta names the operator listed (validated names, so nothing else reaches the header), or null.</summary>
    private string? Listed(string beta)
    {
        List<string>? kept = null;
        foreach (var name in beta.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (_callerBetas.Contains(name, StringComparer.Ordinal) && !(kept ??= []).Contains(name, StringComparer.Ordinal))
            {
                kept.Add(name);
            }
        }

        return kept is null ? null : string.Join(',', kept);
    }
}
