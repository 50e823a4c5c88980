using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Testing;

/// <summary>
/// A shadow store that passes every call to the real one: the base of the tests' stores that change one thing (a write
/// that is refused, reads that fail) and leave the rest alone, so a method added to <see cref="IShadowStore"/> is
/// forwarded here once instead of in every such store.
/// </summary>
internal abstract class ForwardingShadowStore(IShadowStore inner) : IShadowStore
{
    public virtual Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken) => inner.WriteAsync(pairs, cancellationToken);

    public virtual Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken) => inner.PairsAsync(shadowId, cancellationToken);

    public virtual Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken) => inner.SpendAsync(shadowId, cancellationToken);

    public Task<ShadowSpend> ClaimAsync(string shadowId, string holder, ShadowSpend want, ShadowSpend caps, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ClaimAsync(shadowId, holder, want, caps, now, cancellationToken);

    public Task<bool> RenewAsync(string shadowId, string holder, ShadowSpend stored, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RenewAsync(shadowId, holder, stored, now, cancellationToken);

    public Task ReturnAsync(string shadowId, string holder, ShadowSpend unused, CancellationToken cancellationToken) => inner.ReturnAsync(shadowId, holder, unused, cancellationToken);

    public Task<ShadowClaimState> ClaimStateAsync(string shadowId, DateTimeOffset now, CancellationToken cancellationToken) => inner.ClaimStateAsync(shadowId, now, cancellationToken);
}
