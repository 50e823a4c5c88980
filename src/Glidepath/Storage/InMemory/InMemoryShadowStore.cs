using Glidepath.Shadow;

namespace Glidepath.Storage.InMemory;

/// <summary>Shadow pairs in the order written; a candidate trace id seen again is ignored, as SQLite's primary key does.</summary>
internal sealed class InMemoryShadowStore : IShadowStore
{
    private readonly Lock _sync = new();
    private readonly List<ShadowPairRecord> _pairs = [];
    private readonly HashSet<string> _candidates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ShadowSpend> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Holding>> _holders = new(StringComparer.Ordinal);

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

    public Task<ShadowSpend> ClaimAsync(string shadowId, string holder, ShadowSpend want, ShadowSpend caps, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                // A shadow's first claim starts from its pairs already stored, as the SQL stores' do.
                var claimed = _claims.TryGetValue(shadowId, out var held) ? held : Stored(shadowId);
                var holders = HoldersOf(shadowId);
                var mine = holders.TryGetValue(holder, out var h) ? h with { RenewedAt = Max(h.RenewedAt, now) } : new Holding(default, default, now);
                holders[holder] = mine;
                if (ShadowClaims.Short(claimed, want, caps))
                {
                    claimed = Recount(shadowId, claimed, holders, now);
                }

                var granted = ShadowClaims.Grant(claimed, want, caps);
                _claims[shadowId] = Add(claimed, granted);
                holders[holder] = mine with { Claimed = Add(mine.Claimed, granted) };
                return granted;
            }
        }, cancellationToken);

    public Task<bool> RenewAsync(string shadowId, string holder, ShadowSpend stored, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var holders = HoldersOf(shadowId);
                if (!holders.TryGetValue(holder, out var h))
                {
                    return false;
                }

                holders[holder] = new Holding(h.Claimed, stored, Max(h.RenewedAt, now));
                return true;
            }
        }, cancellationToken);

    public Task ReturnAsync(string shadowId, string holder, ShadowSpend unused, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var holders = HoldersOf(shadowId);
                if (_claims.TryGetValue(shadowId, out var claimed) && holders.TryGetValue(holder, out var h))
                {
                    _claims[shadowId] = ShadowClaims.Returned(claimed, unused);
                    holders[holder] = h with { Claimed = ShadowClaims.Returned(h.Claimed, unused) };
                }
            }
        }, cancellationToken);

    public Task<ShadowClaimState> ClaimStateAsync(string shadowId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var stored = Stored(shadowId);
                var last = _pairs.Where(p => p.ShadowId == shadowId).Select(p => (DateTimeOffset?)p.CreatedAt).Max();
                var holders = HoldersOf(shadowId).Values;
                var live = holders.Count(h => ShadowClaims.Live(h.RenewedAt, now));
                var any = _claims.TryGetValue(shadowId, out var claimed);
                return new ShadowClaimState(any ? claimed : stored, stored, last, live, holders.Count - live, any);
            }
        }, cancellationToken);

    /// <summary>Drops the holdings that lapsed and counts the claims again from ground truth (under the lock).</summary>
    private ShadowSpend Recount(string shadowId, ShadowSpend claimed, Dictionary<string, Holding> holders, DateTimeOffset now)
    {
        foreach (var lapsed in holders.Where(h => !ShadowClaims.Live(h.Value.RenewedAt, now)).Select(h => h.Key).ToList())
        {
            holders.Remove(lapsed);
        }

        var recounted = Stored(shadowId);
        foreach (var h in holders.Values)
        {
            recounted = Add(recounted, ShadowClaims.Unstored(h.Claimed, h.Stored));
        }

        return ShadowClaims.Lesser(claimed, recounted);
    }

    private Dictionary<string, Holding> HoldersOf(string shadowId)
    {
        if (!_holders.TryGetValue(shadowId, out var holders))
        {
            _holders[shadowId] = holders = new Dictionary<string, Holding>(StringComparer.Ordinal);
        }

        return holders;
    }

    private static ShadowSpend Add(ShadowSpend a, ShadowSpend b) => new(a.Pairs + b.Pairs, a.CostUsd + b.CostUsd);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    /// <summary>One gateway's holding: what it claimed (net of what it gave back), what it said it stored of it, and when it last renewed.</summary>
    private sealed record Holding(ShadowSpend Claimed, ShadowSpend Stored, DateTimeOffset RenewedAt);
}
