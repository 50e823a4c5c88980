using System.Net.Http.Headers;
using Glidepath.Providers.Forwarding;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// An OpenAI-compatible chat client for whole (not streamed) answers that writes the request with a
/// <see cref="System.Text.Json.Utf8JsonWriter"/> and reads the answer with a <see cref="System.Text.Json.Utf8JsonReader"/>
/// from pooled buffers, over the factory's pooled handler and the same provider error mapping as the SDK path.
/// Streaming, and any request it cannot write exactly as the SDK would, go through the SDK client instead.
/// It sits at the bottom of the same pipeline (telemetry, cost, cache, resilience), so retries, timeouts, the
/// concurrency limit, cost and cache keys are those of the SDK path.
/// </summary>
internal sealed class OpenAiWireChatClient : IChatClient
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpMessageInvoker _http;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly string _model;
    private readonly Lazy<IChatClient> _sdk;
    private readonly ChatClientMetadata _metadata;
    private readonly string? _apiKey;

    /// <param name="http">The provider handler stack (error mapping over the pooled connections).</param>
    /// <param name="sdk">Builds the SDK client for what this one does not send itself (on first need).</param>
    public OpenAiWireChatClient(string baseUrl, string? apiKey, string model, HttpMessageInvoker http, Func<IChatClient> sdk)
    {
        var root = baseUrl.TrimEnd('/');
        _endpoint = new Uri(root + "/chat/completions");
        _authorization = new AuthenticationHeaderValue("Bearer", apiKey ?? OpenAIChatClientFactory.NoKey);
        _model = model;
        _apiKey = apiKey;
        _http = http;
        _sdk = new Lazy<IChatClient>(sdk);
        _metadata = new ChatClientMetadata("openai", new Uri(root), model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IList<ChatMessage> ?? [.. messages];
        if (!OpenAiChatRequest.CanWrite(list, options))
        {
            return await _sdk.Value.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        }

        using var body = new PooledBuffer(4096);
        OpenAiChatRequest.Write(list, options, _model, body);
        using var content = new ReadOnlyMemoryContent(body.Memory);
        content.Headers.ContentType = JsonType;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("Accept", "application/json");

        // The provider handler has turned every error status into a ProviderException: what arrives here is a 200.
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var answer = new PooledBuffer((int)Math.Min(response.Content.Headers.ContentLength ?? 4096, 1 << 20) + 1);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await answer.ReadAllAsync(stream, long.MaxValue, cancellationToken).ConfigureAwait(false);
        }

        ChatResponse result;
        try
        {
            result = OpenAiChatResponse.Read(answer.Span);
        }
        catch (System.Text.Json.JsonException) when (NotAnAnswer(response, answer.Span) is { } failure)
        {
            throw failure;
        }

        // The same rule as the SDK path and the pass-through (ResponseTap.NotAnAnswer), read again only for a rare shape.
        if ((result.FinishReason is null || result.Messages is [{ Contents.Count: 0 }]) && NotAnAnswer(response, answer.Span) is { } lacking)
        {
            throw lacking;
        }

        return result;
    }

    private Glidepath.Errors.ProviderException? NotAnAnswer(HttpResponseMessage response, ReadOnlySpan<byte> json) =>
        ResponseTap.CheckWhole(Glidepath.Models.ProviderNames.OpenAI, Glidepath.Models.ProviderNames.OpenAI, (int)response.StatusCode, json, _apiKey);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _sdk.Value.GetStreamingResponseAsync(messages, options, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (_sdk.IsValueCreated)
        {
            _sdk.Value.Dispose();
        }
    }
}
