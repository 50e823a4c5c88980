using Glidepath.Environments;
using Glidepath.Rollouts;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>
/// The environments page: each environment's status (as <c>status</c> shows it), its rollout and controller lease, the
/// paired judge's decision when it is harm on an active shadow (as <c>shadow status</c> judges it: that harm refuses the
/// release's promote and rollout start), and this gateway's own health.
/// </summary>
public sealed record EnvironmentsModel(
    IReadOnlyList<EnvironmentStatusView> Rows,
    IReadOnlyDictionary<string, RolloutView?> Rollouts,
    IReadOnlyDictionary<string, ControllerLease?> Leases,
    IReadOnlyDictionary<string, string> ShadowHarms,
    GatewayHealth? Gateway,
    DateTimeOffset Now);
