using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Anthropic;

/// <summary>
/// Sends <see cref="ChatOptions.Temperature"/>, <see cref="ChatOptions.TopP"/> and <see cref="ChatOptions.TopK"/> to the
/// Messages API, which the official SDK's chat client (13.14.0) drops: its <see cref="MessageCreateParams"/> no longer models
/// them (Anthropic deprecated them; models after Claude Opus 4.6 reject them), so the chat client never writes them.
/// A temperature above Anthropic's range (0 to 1; an OpenAI caller's may be up to 2) is sent as 1.
/// </summary>
/// <remarks>
/// They go in as raw body fields of the request the SDK's chat client starts from (<see cref="ChatOptions.RawRepresentationFactory"/>),
/// so the body is the SDK's own plus these fields, as the gateway's pass-through path sends them. Starting from a seed, the SDK
/// takes model and max_tokens from it, not from the options; the seed carries what it would have used.
/// </remarks>
internal sealed class AnthropicSamplingChatClient : DelegatingChatClient
{
    private static readonly JsonElement NoMessages = JsonElement.Parse("[]");
    private static readonly Dictionary<string, JsonElement> None = [];

    /// <summary>The Messages API's highest temperature (OpenAI's is 2).</summary>
    internal const float MaxTemperature = 1f;

    private readonly string _model;
    private readonly int _maxTokens;

    /// <param name="inner">The SDK's chat client.</param>
    /// <param name="model">The model it was created for (used when the options name none).</param>
    /// <param name="maxTokens">The max_tokens it was created with (used when the options set none).</param>
    public AnthropicSamplingChatClient(IChatClient inner, string model, int maxTokens)
        : base(inner)
    {
        _model = model;
        _maxTokens = maxTokens;
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithSampling(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithSampling(options), cancellationToken);

    /// <summary>The options unchanged when they set no sampling parameter; otherwise a copy (the caller's are never changed)
    /// whose raw representation carries them, on top of one the caller's options already make.</summary>
    private ChatOptions? WithSampling(ChatOptions? options)
    {
        if (options is null or { Temperature: null, TopP: null, TopK: null })
        {
            return options;
        }

        var callers = options.RawRepresentationFactory;
        var copy = options.Clone();
        copy.RawRepresentationFactory = client => Seed(callers?.Invoke(client) as MessageCreateParams, copy); // the SDK reads the copy too
        return copy;
    }

    private MessageCreateParams Seed(MessageCreateParams? callers, ChatOptions options)
    {
        Dictionary<string, JsonElement> body;
        if (callers is null)
        {
            body = new(6, StringComparer.Ordinal)
            {
                ["model"] = JsonSerializer.SerializeToElement(options.ModelId ?? _model),
                ["max_tokens"] = JsonSerializer.SerializeToElement(options.MaxOutputTokens ?? _maxTokens),
                ["messages"] = NoMessages,
            };
        }
        else
        {
            body = new(callers.RawBodyData, StringComparer.Ordinal);
        }

        // A field the caller's own raw request already has is theirs (raw representations take precedence over options).
        if (options.Temperature is { } temperature)
        {
            // OpenAI takes 0 to 2, Anthropic 0 to 1: a translated OpenAI caller's 1.5 is Anthropic's most random, 1, not a 400
            // charged to the release.
            body.TryAdd("temperature", JsonSerializer.SerializeToElement(Math.Clamp(temperature, 0f, MaxTemperature)));
        }

        if (options.TopP is { } topP)
        {
            body.TryAdd("top_p", JsonSerializer.SerializeToElement(topP));
        }

        if (options.TopK is { } topK)
        {
            body.TryAdd("top_k", JsonSerializer.SerializeToElement(topK));
        }

        return callers is null
            ? MessageCreateParams.FromRawUnchecked(None, None, body)
            : MessageCreateParams.FromRawUnchecked(callers.RawHeaderData, callers.RawQueryData, body);
    }
}
