namespace Glidepath.Evals.Scorers;

/// <summary>What versions a judge: its model (<c>provider/name</c>) and the sha256 of its rubric.</summary>
public sealed record JudgeIdentity(string Model, string RubricSha256);
