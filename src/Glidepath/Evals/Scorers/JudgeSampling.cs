using Glidepath.Models;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// What a judge (the <c>llm_judge</c> scorer, the shadow's pairwise judge) asks its model for: temperature 0, so the
/// same answer is judged alike, except on Anthropic. Claude models released after Opus 4.6 reject any
/// <c>temperature</c> with a 400, so a judge there sends none and the model's default applies (as before the translating
/// path sent sampling parameters at all).
/// </summary>
public static class JudgeSampling
{
    /// <summary>The temperature a judge on <paramref name="provider"/> sends, or null for none.</summary>
    public static float? Temperature(string provider) => provider == ProviderNames.Anthropic ? null : 0f;
}
