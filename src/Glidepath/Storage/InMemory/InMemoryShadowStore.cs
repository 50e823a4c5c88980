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
                return Stored(shadowId);
            }
        }, cancellationToken);

    /// <summary>The shadow's stored pairs and their candidate cost (under the lock).</summary>
    private ShadowSpend Stored(string shadowId)
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

    public Task<ShadowSpend> ClaimAsync(string shadowId, ShadowSpend want, ShadowSpend caps, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                // A shadow's first claim starts from its pairs already stored, as the SQL stores' do.
                var claimed = _claims.TryGetValue(shadowId, out var held) ? held : Stored(shadowId);
                var granted = ShadowClaims.Grant(claimed, want, caps);
                _claims[shadowId] = new ShadowSpend(claimed.Pairs + granted.Pairs, claimed.CostUsd + granted.CostUsd);
                return granted;
            }
        }, cancellationToken);

    public Task<ShadowSpend?> ClaimedAsync(string shadowId, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _claims.TryGetValue(shadowId, out var claimed) ? claimed : (ShadowSpend?)null;
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
