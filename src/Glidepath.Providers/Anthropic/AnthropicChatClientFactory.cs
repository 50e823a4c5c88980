using Anthropic;
using Anthropic.Core;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Anthropic;

/// <summary>
/// The Claude Messages API through the official <c>Anthropic</c> SDK's <see cref="IChatClient"/>
/// (tools, tool results, streaming, usage, stop reasons), with the temperature, top_p and top_k it drops put back
/// (<see cref="AnthropicSamplingChatClient"/>) and a limit of one tool call per turn sent even without a tool choice
/// (<see cref="AnthropicParallelToolsChatClient"/>), the usage it leaves out put back (<see cref="AnthropicUsageChatClient"/>),
/// and tool schemas sent as written, not closed (<see cref="AnthropicToolSchemaChatClient"/>).
/// Its own retries are off: ours apply.
/// </summary>
internal static class AnthropicChatClientFactory
{
    /// <summary>Anthropic requires max_tokens; used when the release sets none.</summary>
    public const int DefaultMaxTokens = 1024;

    public static IChatClient Create(ModelSpec model, string baseUrl, string apiKey, HttpClient http)
    {
        var client = new AnthropicClient(new ClientOptions
        {
            ApiKey = apiKey,
            BaseUrl = baseUrl.TrimEnd('/'),
            MaxRetries = 0,
            Timeout = TimeSpan.FromMinutes(30), // our per-attempt and per-chunk timeouts govern; this only bounds a leaked call
            HttpClient = http,
        });
        var maxTokens = model.Parameters.MaxTokens ?? DefaultMaxTokens;
        return new AnthropicParallelToolsChatClient(new AnthropicSamplingChatClient(new AnthropicUsageChatClient(new AnthropicToolSchemaChatClient(client.AsIChatClient(model.Name, maxTokens))), model.Name, maxTokens));
    }
}
