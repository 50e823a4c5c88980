namespace Glidepath.Shadow;

/// <summary>
/// A shadow's claims on its caps as the store holds them (<see cref="Storage.IShadowStore.ClaimStateAsync"/>): what the
/// gateways have claimed together, what is stored, when the last pair was stored, and how many gateways hold a part of
/// the claims, renewed within the lease (<see cref="ShadowClaims.Lease"/>) or not (dead, or cut off from the store: their
/// unused claim comes back at the next claim that finds the caps all claimed). <paramref name="AnyClaim"/> is false while
/// no gateway has claimed (a shadow without caps, or not yet mirrored, or one from before the claims): the claims are then
/// taken as what is stored.
/// </summary>
public sealed record ShadowClaimState(ShadowSpend Claimed, ShadowSpend Stored, DateTimeOffset? LastPairAt, int LiveHolders, int LapsedHolders, bool AnyClaim)
{
    /// <summary>Claimed and not stored (never below zero): in flight at the gateways, unused, or lost with a gateway that died.</summary>
    public ShadowSpend Unstored => new(Math.Max(Claimed.Pairs - Stored.Pairs, 0), Math.Max(Claimed.CostUsd - Stored.CostUsd, 0));

    /// <summary>True when a capped part is all claimed (a gateway that asks for more is granted nothing until some comes back).</summary>
    public bool AllClaimed(double? maxCostUsd, long? maxRequests) => Claimed.Reached(maxCostUsd, maxRequests);

    /// <summary>
    /// True when the shadow is stalled: its caps are all claimed, what is stored is below them, and no pair was stored
    /// for a lease (<see cref="ShadowClaims.Lease"/>) before <paramref name="now"/>. The claims of dead gateways are
    /// held then; they come back at the next claim (a gateway mirroring this shadow asks at most every few seconds), or
    /// a new <c>shadow start</c> begins with fresh caps.
    /// </summary>
    public bool Stalled(double? maxCostUsd, long? maxRequests, DateTimeOffset now) =>
        AllClaimed(maxCostUsd, maxRequests)
        && !Stored.Reached(maxCostUsd, maxRequests)
        && (LastPairAt is not { } last || now - last >= ShadowClaims.Lease);
}
