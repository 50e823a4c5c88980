namespace Glidepath.Shadow;

/// <summary>
/// The arithmetic of a claim on a shadow's caps (<see cref="Storage.IShadowStore.ClaimAsync"/>), the in-memory store's;
/// the SQL stores do the same in one UPDATE: each part granted up to the room its cap leaves, never below zero.
/// </summary>
public static class ShadowClaims
{
    /// <summary>
    /// How long a gateway's holding of a shadow's claims lasts without being renewed (a live gateway renews it at each
    /// re-read of the shadow, every few seconds while it mirrors). A claim that finds the caps all claimed drops the
    /// holdings not renewed for this long (a gateway killed, or cut off from the store) and counts the claims again from
    /// what is stored and what the live holders hold: a dead gateway's unused claim comes back.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long after its last renewal a gateway still mirrors within its claims: half the lease, so that a holding is
    /// never dropped while its gateway still uses it (with the gateways' clocks within 30 s of each other).
    /// </summary>
    public static readonly TimeSpan UsableFor = TimeSpan.FromSeconds(30);

    /// <summary>What a claim of <paramref name="want"/> is granted when <paramref name="claimed"/> is already claimed under <paramref name="caps"/>.</summary>
    public static ShadowSpend Grant(ShadowSpend claimed, ShadowSpend want, ShadowSpend caps) => new(
        Math.Min(Math.Max(want.Pairs, 0), Math.Max(caps.Pairs - claimed.Pairs, 0)),
        Math.Min(Math.Max(want.CostUsd, 0), Math.Max(caps.CostUsd - claimed.CostUsd, 0)));

    /// <summary>The claims after <paramref name="unused"/> is given back (never below zero).</summary>
    public static ShadowSpend Returned(ShadowSpend claimed, ShadowSpend unused) =>
        new(Math.Max(claimed.Pairs - Math.Max(unused.Pairs, 0), 0), Math.Max(claimed.CostUsd - Math.Max(unused.CostUsd, 0), 0));

    /// <summary>True when a part wanted is more than its cap leaves room for: the claims are counted again first.</summary>
    public static bool Short(ShadowSpend claimed, ShadowSpend want, ShadowSpend caps) =>
        (want.Pairs > 0 && claimed.Pairs + want.Pairs > caps.Pairs) || (want.CostUsd > 0 && claimed.CostUsd + want.CostUsd > caps.CostUsd);

    /// <summary>True when a holding renewed at <paramref name="renewedAt"/> has not lapsed at <paramref name="now"/>.</summary>
    public static bool Live(DateTimeOffset renewedAt, DateTimeOffset now) => now - renewedAt < Lease;

    /// <summary>What a live holder claimed and had not stored at its last renewal (never below zero): counted as claimed when the claims are counted again.</summary>
    public static ShadowSpend Unstored(ShadowSpend claimed, ShadowSpend stored) =>
        new(Math.Max(claimed.Pairs - stored.Pairs, 0), Math.Max(claimed.CostUsd - stored.CostUsd, 0));

    /// <summary>Each part the lesser of the two: the claims counted again never grow (both are at least what is in use).</summary>
    public static ShadowSpend Lesser(ShadowSpend a, ShadowSpend b) => new(Math.Min(a.Pairs, b.Pairs), Math.Min(a.CostUsd, b.CostUsd));
}
