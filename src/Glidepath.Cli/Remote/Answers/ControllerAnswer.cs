namespace Glidepath.Cli.Remote.Answers;

/// <summary>Who holds the rollout controller's lease, as <c>rollout status</c> shows it.</summary>
/// <param name="LeaseExpiredForMs">How long ago the lease expired, by the clock of the process that read it; null while held or without a lease.</param>
internal sealed record ControllerAnswer(string? Holder, DateTimeOffset? LeaseExpiresAt, bool Judging, double? LeaseExpiredForMs = null);
