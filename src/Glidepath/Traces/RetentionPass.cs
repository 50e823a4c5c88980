namespace Glidepath.Traces;

/// <summary>
/// One retention pass: how many traces it deleted, the "now" it cut off from (the store's clock when it has one), the
/// newest trace it saw, and whether it was skipped because that "now" is too far past the newest trace (see
/// <see cref="TraceRetention.ClockMargin"/>).
/// </summary>
public sealed record RetentionPass(long Deleted, DateTimeOffset Now, DateTimeOffset? Newest, bool Skipped);
