namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>
/// The control plane as the gateway serving the dashboard sees it (what <c>/readyz</c> reports): the routing table it
/// serves and whether it can read the store. Null when the dashboard runs without a gateway (<c>glidepath dashboard</c>).
/// </summary>
public sealed record GatewayHealth(
    string Environment, long? Revision, string? Stable, string? Canary, double? CanaryWeight, bool Stale,
    DateTimeOffset? LastStoreRead, DateTimeOffset? StaleSince, string? StaleReason);
