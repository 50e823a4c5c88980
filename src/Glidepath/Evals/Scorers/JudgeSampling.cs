using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// What a judge (the <c>llm_judge</c> scorer, the shadow's pairwise judge) asks its model for: the judge model's own
/// <c>parameters.temperature</c> when set; otherwise temperature 0, so the same answer is judged alike, except on
/// Anthropic. Claude models released after Opus 4.6 reject a <c>temperature</c> other than 1.0 with a 400, so a judge
/// there sends none unless told to and the model's default applies (as before the translating path sent sampling
/// parameters at all).
/// </summary>
public static class JudgeSampling
{
    /// <summary>The temperature a judge on <paramref name="model"/> sends, or null for none.</summary>
    public static float? Temperature(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Parameters.Temperature is { } set ? (float)set : model.Provider == ProviderNames.Anthropic ? null : 0f;
    }
}
