using Glidepath.Environments;
using Glidepath.Rollouts;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>The environments page: each environment's status (as <c>status</c> shows it), its rollout and controller lease, and this gateway's own health.</summary>
public sealed record EnvironmentsModel(
    IReadOnlyList<EnvironmentStatusView> Rows,
    IReadOnlyDictionary<string, RolloutView?> Rollouts,
    IReadOnlyDictionary<string, ControllerLease?> Leases,
    GatewayHealth? Gateway,
    DateTimeOffset Now);
