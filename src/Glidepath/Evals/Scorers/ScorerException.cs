namespace Glidepath.Evals.Scorers;

/// <summary>A scorer could not score (bad judge answer, unknown cost…). The case becomes an error, never a pass.</summary>
public sealed class ScorerException(string message, Exception? inner = null) : Exception(message, inner);
