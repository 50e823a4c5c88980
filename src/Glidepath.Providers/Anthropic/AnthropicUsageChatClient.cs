using System.Runtime.CompilerServices;
using Anthropic.Models.Messages;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Anthropic;

/// <summary>
/// Puts back what the SDK's chat client leaves out of Anthropic's usage, read from the SDK's own objects
/// (<see cref="ChatResponse.RawRepresentation"/>, a streamed update's raw event): the input tokens written to the 1-hour
/// cache (<c>usage.cache_creation.ephemeral_1h_input_tokens</c>, priced at <c>cache_write_1h</c>, see
/// <see cref="PromptCacheUsage.CacheWrite1hKey"/>) and, streamed, the usage <c>message_start</c> reports before the
/// answer (<see cref="ModelResponseProperties.PromptUsage"/> on that update), which the chat client keeps to its last update.
/// </summary>
internal sealed class AnthropicUsageChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (response.RawRepresentation is Message { Usage: var usage })
        {
            AddHour(response.Usage, OneHour(usage));
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long hour = 0;
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            if (update.RawRepresentation is RawMessageStreamEvent raw && raw.TryPickStart(out var start))
            {
                var usage = start.Message.Usage;
                hour = OneHour(usage);
                (update.AdditionalProperties ??= [])[ModelResponseProperties.PromptUsage] =
                    PromptCacheUsage.FromParts(usage.InputTokens, usage.CacheReadInputTokens, usage.CacheCreationInputTokens, usage.OutputTokens, hour);
            }

            foreach (var content in update.Contents)
            {
                if (content is UsageContent u)
                {
                    AddHour(u.Details, hour);
                }
            }

            yield return update;
        }
    }

    private static long OneHour(Usage usage) => usage.CacheCreation?.Ephemeral1hInputTokens ?? 0;

    /// <summary>Records the 1-hour part of the cache writes the chat client reported (never more than they are).</summary>
    private static void AddHour(UsageDetails? usage, long hour)
    {
        var written = PromptCacheUsage.Written(usage);
        if (usage is null || hour <= 0 || written <= 0)
        {
            return;
        }

        (usage.AdditionalCounts ??= [])[PromptCacheUsage.CacheWrite1hKey] = Math.Min(hour, written);
    }
}
