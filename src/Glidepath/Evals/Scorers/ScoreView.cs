namespace Glidepath.Evals.Scorers;

/// <summary>
/// A scorer's result as JSON shows it (<c>eval show --format json</c>): <see cref="Passed"/> is null when the scorer did
/// not apply to the case (<see cref="Applicable"/> false), so a reader cannot count it as a pass.
/// </summary>
public sealed record ScoreView(string Scorer, bool Applicable, bool? Passed, double? Score, string? Reason, string? Error, double Weight, IReadOnlyDictionary<string, string>? Metadata)
{
    public static ScoreView From(ScoreOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Scorer, outcome.Applicable, outcome.Applicable ? outcome.Passed : null, outcome.Score, outcome.Reason, outcome.Error, outcome.Weight, outcome.Metadata);
    }
}
