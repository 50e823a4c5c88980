using System.Globalization;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// What one <c>llm_judge</c> answer cost, kept in its score's metadata (stored with the trial, so a run read back from the
/// store adds it up as the run did): tokens, the priced cost and whether it came from the response cache. A run's summary
/// sums it beside the release's own cost (trial gatejudge M2: the judge's spend, 4.7× the release's, was shown nowhere).
/// </summary>
public static class JudgeUsage
{
    public const string CostUsdKey = "judge.cost_usd";
    public const string InputTokensKey = "judge.input_tokens";
    public const string OutputTokensKey = "judge.output_tokens";
    public const string CachedKey = "judge.cached";

    /// <summary>
    /// On the error of a judge call under <c>max_spend_usd</c> that got no answer (a timeout, a dropped connection): what the
    /// cap counted it at, the dearest call known, since the provider may have answered and billed it all the same.
    /// </summary>
    public const string UnansweredUsdKey = "judge.unanswered_usd";

    /// <summary>Adds the usage of <paramref name="response"/> to a judge score's metadata; a figure the answer does not carry is left out.</summary>
    public static void Write(IDictionary<string, string> metadata, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(response);
        metadata[CachedKey] = response.AdditionalProperties?.ContainsKey(ModelResponseProperties.Cached) == true ? "true" : "false";
        if (ModelResponseProperties.CostOf(response.AdditionalProperties) is { } usd)
        {
            metadata[CostUsdKey] = usd.ToString(CultureInfo.InvariantCulture);
        }

        if (response.Usage?.InputTokenCount is { } input)
        {
            metadata[InputTokensKey] = input.ToString(CultureInfo.InvariantCulture);
        }

        if (response.Usage?.OutputTokenCount is { } output)
        {
            metadata[OutputTokensKey] = output.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Whether <paramref name="metadata"/> is a judge answer's with its usage: then whether it was served from the cache
    /// (no call this run) and its cost, or null when unpriced. Metadata is a store's value: a figure that does not parse is none.
    /// </summary>
    public static bool TryRead(IReadOnlyDictionary<string, string>? metadata, out bool cached, out decimal? costUsd)
    {
        cached = false;
        costUsd = null;
        if (metadata is null || !metadata.TryGetValue(CachedKey, out var c))
        {
            return false;
        }

        cached = c == "true";
        if (metadata.TryGetValue(CostUsdKey, out var text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var usd) && usd >= 0)
        {
            costUsd = usd;
        }

        return true;
    }

    /// <summary>Whether <paramref name="metadata"/> is that of a judge call that got no answer, and what the cap counted it at (<see cref="UnansweredUsdKey"/>).</summary>
    public static bool TryReadUnanswered(IReadOnlyDictionary<string, string>? metadata, out decimal usd)
    {
        usd = 0;
        return metadata is not null && metadata.TryGetValue(UnansweredUsdKey, out var text)
            && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out usd) && usd >= 0;
    }
}
