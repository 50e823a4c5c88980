namespace Glidepath.Traces;

/// <summary>
/// How a user's feedback score counts: 1 (good), -1 (bad) or a score in [0, 1], positive at or above
/// <see cref="PositiveThreshold"/>. The judge's feedback metric, the stores' arm statistics and the
/// "negative feedback" trace filter all read it from here.
/// </summary>
public static class FeedbackScore
{
    /// <summary>The lowest score that counts as positive feedback.</summary>
    public const double PositiveThreshold = 0.5;

    /// <summary>True when the score counts as positive (≥ <see cref="PositiveThreshold"/>); below it, as negative.</summary>
    public static bool IsPositive(double score) => score >= PositiveThreshold;
}
