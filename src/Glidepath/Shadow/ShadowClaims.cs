namespace Glidepath.Shadow;

/// <summary>
/// The arithmetic of a claim on a shadow's caps (<see cref="Storage.IShadowStore.ClaimAsync"/>), the in-memory store's;
/// the SQL stores do the same in one UPDATE: each part granted up to the room its cap leaves, never below zero.
/// </summary>
public static class ShadowClaims
{
    /// <summary>What a claim of <paramref name="want"/> is granted when <paramref name="claimed"/> is already claimed under <paramref name="caps"/>.</summary>
    public static ShadowSpend Grant(ShadowSpend claimed, ShadowSpend want, ShadowSpend caps) => new(
        Math.Min(Math.Max(want.Pairs, 0), Math.Max(caps.Pairs - claimed.Pairs, 0)),
        Math.Min(Math.Max(want.CostUsd, 0), Math.Max(caps.CostUsd - claimed.CostUsd, 0)));

    /// <summary>The claims after <paramref name="unused"/> is given back (never below zero).</summary>
    public static ShadowSpend Returned(ShadowSpend claimed, ShadowSpend unused) =>
        new(Math.Max(claimed.Pairs - Math.Max(unused.Pairs, 0), 0), Math.Max(claimed.CostUsd - Math.Max(unused.CostUsd, 0), 0));
}
