namespace Glidepath.Cli.Remote.Answers;

/// <summary>Who holds the rollout controller's lease, as <c>rollout status</c> shows it.</summary>
internal sealed record ControllerAnswer(string? Holder, DateTimeOffset? LeaseExpiresAt, bool Judging);
