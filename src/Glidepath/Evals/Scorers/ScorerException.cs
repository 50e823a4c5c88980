namespace Glidepath.Evals.Scorers;

/// <summary>A scorer could not score (bad judge answer, unknown cost…). The case becomes an error, never a pass.</summary>
public sealed class ScorerException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// What the error's outcome keeps all the same: a judge's answer that could not be read was still a call, paid for
    /// (<see cref="JudgeUsage"/>), and the run's judge calls, cost and spend limit count it.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
