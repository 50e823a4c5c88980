namespace Glidepath.Cli.Remote.Answers;

/// <summary>The part of a rollout decision the text output prints.</summary>
internal sealed record DecisionReason(string Reason);
