namespace Glidepath.Manifests;

/// <summary>
/// USD per million tokens: input, output, and optionally input read from the provider's prompt cache
/// (<see cref="CacheRead"/>) and input written to it (<see cref="CacheWrite"/>; Anthropic's 1-hour cache,
/// <see cref="CacheWrite1h"/>). A cache price left unset is filled by
/// <c>PriceTable</c> from the model's family (docs/providers.md, "Cost"); a price used outside a table bills it as input.
/// </summary>
public sealed record ModelPrice(double Input, double Output)
{
    /// <summary>USD per million input tokens read from the prompt cache; null: not set.</summary>
    public double? CacheRead { get; init; }

    /// <summary>USD per million input tokens written to the prompt cache (Anthropic's cache creation); null: not set.</summary>
    public double? CacheWrite { get; init; }

    /// <summary>
    /// USD per million input tokens written to Anthropic's 1-hour prompt cache (a <c>cache_control</c> with <c>ttl: 1h</c>),
    /// when the answer reports its cache writes split by lifetime; null: not set (priced as <see cref="CacheWrite"/>).
    /// </summary>
    public double? CacheWrite1h { get; init; }

    /// <summary>USD for one call with these token counts (prices are per million tokens): the one cost formula.</summary>
    /// <param name="inputTokens">All input tokens, the cached ones included.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <param name="cacheReadTokens">The part of <paramref name="inputTokens"/> read from the prompt cache.</param>
    /// <param name="cacheWriteTokens">The part of <paramref name="inputTokens"/> written to the prompt cache.</param>
    /// <param name="cacheWrite1hTokens">The part of <paramref name="cacheWriteTokens"/> written to the 1-hour cache.</param>
    public decimal Cost(long inputTokens, long outputTokens, long cacheReadTokens = 0, long cacheWriteTokens = 0, long cacheWrite1hTokens = 0)
    {
        var read = Math.Clamp(cacheReadTokens, 0, Math.Max(inputTokens, 0));
        var write = Math.Clamp(cacheWriteTokens, 0, Math.Max(inputTokens - read, 0));
        var hour = Math.Clamp(cacheWrite1hTokens, 0, write);
        var fresh = inputTokens - read - write;
        var writePrice = (decimal)(CacheWrite ?? Input);
        return (((decimal)Input * fresh) + ((decimal)(CacheRead ?? Input) * read) + (writePrice * (write - hour))
            + ((CacheWrite1h is { } hourly ? (decimal)hourly : writePrice) * hour) + ((decimal)Output * outputTokens)) / 1_000_000m;
    }

    /// <summary>USD for one call's usage (missing counts are taken as zero), its prompt-cache tokens at the cache prices.</summary>
    public decimal Cost(Microsoft.Extensions.AI.UsageDetails? usage) =>
        Cost(usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0, Models.PromptCacheUsage.Read(usage), Models.PromptCacheUsage.Written(usage), Models.PromptCacheUsage.Written1h(usage));
}
