namespace Glidepath.Shadow;

/// <summary>
/// What the gateways hold claimed of a shadow's caps (<see cref="Storage.IShadowStore.ClaimStateAsync"/>), beside what is
/// stored: a place claimed and not stored is held by a running gateway, in flight, or lost (a gateway killed, a pair that
/// could not be written). Each part only for a cap the shadow has (nothing is claimed of a cap it has not).
/// </summary>
/// <param name="Requests">Requests claimed of <c>max_requests</c> (stored pairs included); null without that cap.</param>
/// <param name="RequestsNotStored">Of <paramref name="Requests"/>, those with no pair stored (yet).</param>
/// <param name="CostUsd">Candidate spend claimed of <c>max_cost_usd</c>; null without that cap.</param>
/// <param name="Stalled">Active, below its caps, all claimed, nothing stored for a lease (<see cref="ShadowReport.Stalled"/>).</param>
/// <param name="LapsedHolders">Gateways holding claims not renewed within the lease (<see cref="ShadowClaims.Lease"/>).</param>
public sealed record ShadowClaimsView(long? Requests, long? RequestsNotStored, double? CostUsd, bool Stalled = false, int LapsedHolders = 0)
{
    public static ShadowClaimsView? From(ShadowReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return From(report.Claimed, report.Spend, report.Shadow) is { } view ? view with { Stalled = report.Stalled, LapsedHolders = report.LapsedHolders } : null;
    }

    public static ShadowClaimsView? From(ShadowSpend? claimed, ShadowSpend stored, Environments.ShadowState shadow)
    {
        ArgumentNullException.ThrowIfNull(shadow);
        if (claimed is not { } c || (shadow.MaxRequests is null && shadow.MaxCostUsd is null))
        {
            return null;
        }

        var requests = shadow.MaxRequests is null ? (long?)null : c.Pairs;
        return new ShadowClaimsView(requests, requests is { } r ? Math.Max(r - stored.Pairs, 0) : null, shadow.MaxCostUsd is null ? null : Math.Round(c.CostUsd, 6));
    }
}
