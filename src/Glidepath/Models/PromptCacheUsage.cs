using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>
/// How a <see cref="UsageDetails"/> carries prompt-cache tokens, as Microsoft.Extensions.AI and the provider SDKs' chat
/// clients do: <see cref="UsageDetails.InputTokenCount"/> is every input token, the cached ones included;
/// <see cref="UsageDetails.CachedInputTokenCount"/> is the part read from the cache; the part written to it (Anthropic's
/// <c>cache_creation_input_tokens</c>, which the model has no property for) is in
/// <see cref="UsageDetails.AdditionalCounts"/> under <see cref="CacheWriteKey"/>, and the part of that written to Anthropic's
/// 1-hour cache (<c>cache_creation.ephemeral_1h_input_tokens</c>, priced higher) under <see cref="CacheWrite1hKey"/>.
/// </summary>
public static class PromptCacheUsage
{
    /// <summary>The additional count of input tokens written to the cache: the name the Anthropic SDK's chat client gives it.</summary>
    public const string CacheWriteKey = "CacheCreationInputTokens";

    /// <summary>
    /// The additional count of the cache-written tokens that went to the 1-hour cache: Glidepath's name (the Anthropic
    /// SDK's chat client does not report the split; the providers pipeline reads it from the answer).
    /// </summary>
    public const string CacheWrite1hKey = "CacheCreation1hInputTokens";

    /// <summary>Input tokens read from the cache (0 when none were reported).</summary>
    public static long Read(UsageDetails? usage) => usage?.CachedInputTokenCount ?? 0;

    /// <summary>Input tokens written to the cache (0 when none were reported).</summary>
    public static long Written(UsageDetails? usage) =>
        usage?.AdditionalCounts is { } counts && counts.TryGetValue(CacheWriteKey, out var written) ? written : 0;

    /// <summary>Input tokens written to the 1-hour cache, a part of <see cref="Written"/> (0 when the answer did not split them).</summary>
    public static long Written1h(UsageDetails? usage) =>
        usage?.AdditionalCounts is { } counts && counts.TryGetValue(CacheWrite1hKey, out var written) ? written : 0;

    /// <summary>Input tokens neither read from nor written to the cache: Anthropic's <c>input_tokens</c>.</summary>
    public static long Uncached(UsageDetails? usage) => Math.Max(0, (usage?.InputTokenCount ?? 0) - Read(usage) - Written(usage));

    /// <summary>
    /// The usage of an answer that reported its input in parts, as Anthropic does (<c>input_tokens</c> excludes the cache's
    /// tokens): input is their sum, as the Anthropic SDK's chat client reports it.
    /// </summary>
    /// <param name="cacheWrite1h">The part of <paramref name="cacheWrite"/> written to the 1-hour cache, when the answer said.</param>
    public static UsageDetails FromParts(long? uncachedInput, long? cacheRead, long? cacheWrite, long? output, long? cacheWrite1h = null)
    {
        long? input = uncachedInput is null && cacheRead is null && cacheWrite is null ? null : (uncachedInput ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
        var usage = new UsageDetails
        {
            InputTokenCount = input,
            OutputTokenCount = output,
            TotalTokenCount = (input ?? 0) + (output ?? 0),
            CachedInputTokenCount = cacheRead,
        };
        if (cacheWrite is > 0)
        {
            usage.AdditionalCounts = new() { [CacheWriteKey] = cacheWrite.Value };
            if (cacheWrite1h is > 0)
            {
                usage.AdditionalCounts[CacheWrite1hKey] = Math.Min(cacheWrite1h.Value, cacheWrite.Value);
            }
        }

        return usage;
    }
}
