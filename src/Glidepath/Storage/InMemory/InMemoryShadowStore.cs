using Glidepath.Shadow;

namespace Glidepath.Storage.InMemory;

/// <summary>Shadow pairs in the order written; a candidate trace id seen again is ignored, as SQLite's primary key does.</summary>
internal sealed class InMemoryShadowStore : IShadowStore
{
    private readonly Lock _sync = new();
    private readonly List<ShadowPairRecord> _pairs = [];
    private readonly HashSet<string> _candidates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShadowSpend> _claims = new(StringComparer.Ordinal);

    public Task WriteAsync(IReadOnlyList<ShadowPairRecord> pairs, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(pairs);
            lock (_sync)
            {
                foreach (var pair in pairs)
                {
                    if (_candidates.Add(pair.CandidateTraceId))
                    {
                        _pairs.Add(pair with { CreatedAt = pair.CreatedAt.ToUniversalTime() });
                    }
                }
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<ShadowPairRecord>>(() =>
        {
            lock (_sync)
            {
                return [.. _pairs.Where(p => p.ShadowId == shadowId)];
            }
        }, cancellationToken);

    public Task<ShadowSpend> SpendAsync(string shadowId, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                long n = 0;
                double cost = 0;
                foreach (var pair in _pairs)
                {
                    if (pair.ShadowId == shadowId)
                    {
                        n++;
                        cost += pair.CandidateCostUsd;
                    }
                }

                return new ShadowSpend(n, cost);
            }
        }, cancellationToken);

    public Task<ShadowSpend> ClaimAsync(string shadowId, ShadowSpend want, ShadowSpend caps, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var claimed = _claims.GetValueOrDefault(shadowId);
                var granted = ShadowClaims.Grant(claimed, want, caps);
                _claims[shadowId] = new ShadowSpend(claimed.Pairs + granted.Pairs, claimed.CostUsd + granted.CostUsd);
                return granted;
            }
        }, cancellationToken);

    public Task ReturnAsync(string shadowId, ShadowSpend unused, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                if (_claims.TryGetValue(shadowId, out var claimed))
                {
                    _claims[shadowId] = ShadowClaims.Returned(claimed, unused);
                }
            }
        }, cancellationToken);
}
