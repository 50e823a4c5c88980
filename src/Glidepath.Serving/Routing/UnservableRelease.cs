namespace Glidepath.Serving.Routing;

/// <summary>
/// A release of the routing table in service whose model client cannot be built here (its provider's key variable is
/// not set, say): every request routed to it through its provider is refused with 503 until the process is restarted
/// with that fixed.
/// </summary>
/// <param name="Arm">Which side of the split it serves: <c>stable</c>, <c>canary</c> or <c>shadow</c>.</param>
/// <param name="Label">The release's label, e.g. v7+3f9c2a1b.</param>
/// <param name="Reason">Why, as the log says it (names an environment variable, never its value).</param>
/// <param name="PublicReason">Why, for a caller without a token: <paramref name="Reason"/> when it is one of Glidepath's
/// own configuration messages, else only that the reason is in the log.</param>
public sealed record UnservableRelease(string Arm, string Label, string Reason, string PublicReason);
