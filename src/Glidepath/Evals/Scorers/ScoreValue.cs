namespace Glidepath.Evals.Scorers;

/// <summary>A built-in scorer's verdict on one response: a score in [0, 1], pass or fail, and why.</summary>
public readonly record struct ScoreValue(double Score, bool Passed, string Reason)
{
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public static ScoreValue Pass(string reason) => new(1, true, reason);

    public static ScoreValue Fail(string reason) => new(0, false, reason);
}
