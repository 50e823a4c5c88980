namespace Glidepath.Models;

/// <summary>
/// Keys Glidepath puts in <c>ChatResponse.AdditionalProperties</c> (and on the final streaming update)
/// so evals, the gateway and <c>model try</c> read cost and cache state the same way.
/// </summary>
public static class ModelResponseProperties
{
    /// <summary><c>true</c> when the response came from the response cache rather than the provider.</summary>
    public const string Cached = "glidepath.cached";

    /// <summary>USD for the call as a <see cref="decimal"/>, absent when the model has no known price.</summary>
    public const string CostUsd = "glidepath.cost_usd";

    /// <summary>The USD the model pipeline priced a call at (<see cref="CostUsd"/>), or null when the model is unpriced: the one reader.</summary>
    public static decimal? CostOf(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(CostUsd, out var value) && value is not null
            ? Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>
    /// On an answer from the response cache: the milliseconds the provider took when it first gave it (a
    /// <see cref="double"/>, or a JSON number as read back). An eval measures a cached answer by it, not by the cache's
    /// own few microseconds, so a cached side and a called side are compared on the same footing.
    /// </summary>
    public const string LatencyMs = "glidepath.latency_ms";

    /// <summary>The milliseconds recorded under <see cref="LatencyMs"/>, or null when none is.</summary>
    public static double? LatencyOf(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(LatencyMs, out var value)
            ? value switch
            {
                double ms => ms,
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } json => json.GetDouble(),
                _ => null,
            }
            : null;

    /// <summary>
    /// On a streamed answer's update that carries it: the <see cref="Microsoft.Extensions.AI.UsageDetails"/> the provider
    /// reported before the answer (Anthropic's <c>message_start</c>: the input tokens, the prompt cache's, the output so
    /// far). The final usage still comes as the stream's <see cref="Microsoft.Extensions.AI.UsageContent"/>; this one is
    /// not added to it. OpenAI-compatible servers report usage only at the end, so their streams have none.
    /// </summary>
    public const string PromptUsage = "glidepath.prompt_usage";

    /// <summary>The usage under <see cref="PromptUsage"/>, or null when the update has none.</summary>
    public static Microsoft.Extensions.AI.UsageDetails? PromptUsageOf(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(PromptUsage, out var value) ? value as Microsoft.Extensions.AI.UsageDetails : null;

    /// <summary>
    /// On an answer (or a streamed answer's first update) that took more than one attempt: how many the provider pipeline
    /// sent (an <see cref="int"/>). Absent after one attempt, so a call that needed no retry adds nothing to its answer.
    /// </summary>
    public const string Attempts = "glidepath.attempts";

    /// <summary>Records <paramref name="attempts"/> under <see cref="Attempts"/> when it is more than one.</summary>
    public static void SetAttempts(Microsoft.Extensions.AI.AdditionalPropertiesDictionary properties, int attempts)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (attempts > 1)
        {
            properties[Attempts] = attempts;
        }
    }

    /// <summary>The attempts recorded under <see cref="Attempts"/>; 1 when none is (the first attempt answered).</summary>
    public static int AttemptsOf(Microsoft.Extensions.AI.AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(Attempts, out var value) && value is int n && n > 1 ? n : 1;

    /// <summary>Provider name (anthropic, openai, sim).</summary>
    public const string Provider = "glidepath.provider";
}
