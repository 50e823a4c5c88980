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
}
