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
    /// Claims up to <paramref name="want"/> more of the shadow's caps for <paramref name="holder"/> (one gateway, an id it
    /// made at its start), atomically across gateways: each part is granted as far as the claims so far leave room under
    /// <paramref name="caps"/> (a part wanted as 0 is not claimed, whatever its cap). Returns what was granted; (0, 0) once
    /// the claims have reached the caps. The claims of all gateways together never pass a cap, so a gateway that mirrors
    /// only within its own never lets them pass one. The claim renews the holder's holding at <paramref name="now"/>; when
    /// a wanted part finds its cap all claimed, the holdings not renewed for <see cref="ShadowClaims.Lease"/> are dropped
    /// and the claims are counted again: the pairs stored (each once, whoever stored it) plus what each live holder
    /// claimed and had not stored at its last renewal; what a dead holder claimed and did not store comes back.
    /// </summary>
    Task<ShadowSpend> ClaimAsync(string shadowId, string holder, ShadowSpend want, ShadowSpend caps, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Renews <paramref name="holder"/>'s holding at <paramref name="now"/>, with what it has stored of its claims so far
    /// (<paramref name="stored"/>, pairs and their cost, counted since it first claimed). False when it holds nothing:
    /// it never claimed, or its holding lapsed and was dropped, so what it claimed is no longer its own (it claims anew).
    /// </summary>
    Task<bool> RenewAsync(string shadowId, string holder, ShadowSpend stored, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives back <paramref name="unused"/> of what <paramref name="holder"/> claimed (it stops): others may claim it again.</summary>
    Task ReturnAsync(string shadowId, string holder, ShadowSpend unused, CancellationToken cancellationToken);

    /// <summary>The shadow's claims, what is stored and who holds them at <paramref name="now"/> (<c>shadow status</c>, <c>--require-shadow</c>).</summary>
    Task<ShadowClaimState> ClaimStateAsync(string shadowId, DateTimeOffset now, CancellationToken cancellationToken);
}
