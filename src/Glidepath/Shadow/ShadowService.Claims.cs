using System.Globalization;
using Glidepath.Environments;
using Glidepath.Views;

namespace Glidepath.Shadow;

/// <summary>A shadow's claims on its caps, as <c>shadow status</c> and <c>--require-shadow</c> show them.</summary>
public sealed partial class ShadowService
{
    /// <summary>
    /// The shadow's claims now (<see cref="ShadowClaimState"/>): what the gateways claimed and did not store
    /// (<see cref="ShadowClaimState.Unstored"/>), who holds it, and whether it is stalled
    /// (<see cref="ShadowClaimState.Stalled"/>: all claimed, below the caps, nothing stored for a lease).
    /// </summary>
    public Task<ShadowClaimState> ClaimStateAsync(string shadowId, CancellationToken cancellationToken) =>
        shadows.ClaimStateAsync(shadowId, time.GetUtcNow(), cancellationToken);

    /// <summary>
    /// What <c>--require-shadow</c> says of the release's active shadow below its caps whose caps are all claimed and that
    /// stored nothing for a lease (gateways killed hold the rest), instead of "wait for a pass"; null when it is not stalled.
    /// </summary>
    private async Task<string?> StalledAdviceAsync(ShadowState shadow, Releases.Release release, string environment, CancellationToken cancellationToken)
    {
        ShadowClaimState claims;
        try
        {
            claims = await ClaimStateAsync(shadow.ShadowId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null; // the refusal stands; only its advice is the usual one
        }

        if (!claims.Stalled(shadow.MaxCostUsd, shadow.MaxRequests, time.GetUtcNow()))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var lease = (int)ShadowClaims.Lease.TotalSeconds;
        var which = claims.LapsedHolders > 0
            ? string.Create(inv, $"{claims.LapsedHolders} gateway(s) that stopped renewing their claims (killed, or cut off from the store) hold the rest: it comes back at the next claim a gateway makes for this shadow, {lease} s after they last renewed, so it goes on once a gateway mirrors it again")
            : string.Create(inv, $"the gateways that hold the rest store no pairs (no sampled traffic?); a gateway's claim comes back {lease} s after it stops renewing it, at the next claim");
        var caps = (shadow.MaxCostUsd is { } c ? string.Create(inv, $" --max-cost-usd {c:0.######}") : "")
            + (shadow.MaxRequests is { } n ? string.Create(inv, $" --max-requests {n}") : "");
        return string.Create(inv,
            $"Shadow {shadow.ShadowId} has stored {claims.Stored.Pairs} pair(s) ({Figures.Usd(claims.Stored.CostUsd)}), below its caps, but its caps are all claimed and no pair was stored for {lease} s or more: {which}. "
            + $"Or stop it and start a new one, whose caps start again: glidepath shadow stop --env {environment}, then glidepath shadow start {release.Name} --env {environment} --rate {shadow.Rate:0.######}{caps}");
    }
}
