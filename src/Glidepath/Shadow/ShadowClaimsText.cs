using System.Globalization;
using Glidepath.Views;

namespace Glidepath.Shadow;

/// <summary>
/// What the gateways claimed of a shadow's caps, in words, as <c>shadow status</c> prints it and the dashboard's shadow
/// page shows it (one wording for both): the claims beside the pairs stored, and when the shadow is stalled, why and
/// the way out.
/// </summary>
public static class ShadowClaimsText
{
    /// <summary>"150 of 150 requests (40 with no pair stored: …), $0.2 of $0.3", or null without claims or caps.</summary>
    public static string? Claimed(ShadowView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Claimed is not { } claimed)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var parts = new List<string>(2);
        if (claimed.Requests is { } requests && view.MaxRequests is { } max)
        {
            parts.Add(string.Create(inv, $"{requests} of {max} requests ({claimed.RequestsNotStored} with no pair stored: held by a running gateway, in flight, or lost with a gateway killed or a pair not written)"));
        }

        if (claimed.CostUsd is { } cost && view.MaxCostUsd is { } cap)
        {
            parts.Add($"{Figures.Usd(cost)} of {Figures.Usd(cap)}");
        }

        if (parts.Count == 0)
        {
            return null;
        }

        var line = string.Join(", ", parts);
        return !claimed.Stalled && claimed.LapsedHolders > 0
            ? line + string.Create(inv, $" ({claimed.LapsedHolders} gateway(s) not renewing: theirs comes back {Lease} s after they last renewed, at the next claim that finds the caps all claimed)")
            : line;
    }

    /// <summary>Why a stalled shadow mirrors nothing and what to do ("the caps are all claimed, …"), or null when it is not stalled.</summary>
    public static string? Stalled(ShadowView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (view.Claimed is not { Stalled: true } claimed || Claimed(view) is null)
        {
            return null;
        }

        var who = claimed.LapsedHolders > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{claimed.LapsedHolders} gateway(s) stopped renewing their claims (killed, or cut off from the store): theirs comes back at the next claim a gateway makes for this shadow")
            : "the gateways holding the rest store no pairs";
        return string.Create(CultureInfo.InvariantCulture, $"the caps are all claimed, below them, and no pair was stored for {Lease} s or more; {who}, or stop it and start a new one (its caps start again)");
    }

    private static int Lease => (int)ShadowClaims.Lease.TotalSeconds;
}
