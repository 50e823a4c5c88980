namespace Glidepath.Evals.Scorers;

/// <summary>
/// One scorer's result on one response. <see cref="Error"/> set means the scorer could not score (fail-closed);
/// <see cref="Applicable"/> false means the case has no expectation of this scorer's kind.
/// </summary>
public sealed record ScoreOutcome
{
    public required string Scorer { get; init; }
    public double? Score { get; init; }
    public bool Passed { get; init; }
    public bool Applicable { get; init; } = true;
    public string? Reason { get; init; }
    public string? Error { get; init; }
    public double Weight { get; init; } = 1;
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static ScoreOutcome Failed(string scorer, string error, double weight = 1) => new() { Scorer = scorer, Error = error, Weight = weight };
}
