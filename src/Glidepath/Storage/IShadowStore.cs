using Glidepath.Shadow;

namespace Glidepath.Storage;

/// <summary>
/// Shadow pairs, written by the serving core's mirror off the request path and read by <c>shadow status</c>, the
/// checklist and <c>rollout start --require-shadow</c>. Pairs are immutable: a candidate trace id seen again is ignored.
/// </summary>
public interface IShadowStore
{
    /// <summary>Inserts the pairs in one transaction; a pair whose candidate trace id is already stored is ignored.</summary>
    Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken);

    /// <summary>Every pair of one shadow, oldest first.</summary>
    Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken);

    /// <summary>The shadow's pair count and the candidate's summed cost: what its caps are checked against.</summary>
    Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="want"/> more of the shadow's caps for one gateway, atomically across gateways: each
    /// part is granted as far as the claims so far leave room under <paramref name="caps"/> (a part wanted as 0 is not
    /// claimed, whatever its cap). Returns what was granted; (0, 0) once the claims have reached the caps. The claims
    /// of all gateways together never pass a cap, so a gateway that mirrors only within its own never lets them pass one.
    /// </summary>
    Task<ShadowSpend> ClaimAsync(string shadowId, ShadowSpend want, ShadowSpend caps, CancellationToken cancellationToken);

    /// <summary>Gives back <paramref name="unused"/> of what a gateway claimed (it stops): others may claim it again.</summary>
    Task ReturnAsync(string shadowId, ShadowSpend unused, CancellationToken cancellationToken);

    /// <summary>
    /// What the gateways hold claimed of the shadow's caps now (<see cref="ClaimAsync"/> less what <see cref="ReturnAsync"/>
    /// gave back), pairs included; null while none has claimed. <c>shadow status</c> shows it beside the pairs stored: the
    /// difference is held by running gateways, in flight, or kept by a gateway that was killed.
    /// </summary>
    Task<ShadowSpend?> ClaimedAsync(string shadowId, CancellationToken cancellationToken);
}
