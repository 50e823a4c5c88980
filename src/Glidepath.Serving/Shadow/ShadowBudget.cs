using Glidepath.Routing;
using Glidepath.Shadow;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// One shadow's caps as this gateway sees them: the store's pairs and spend at the last read, plus what this gateway
/// wrote since and what it has in flight (calls not answered yet, and answered pairs waiting for the batch write, whose
/// cost counts at once). A request is mirrored only while every cap has room; max_requests counts calls in flight, so
/// it is never exceeded by this gateway; the cost cap can be passed by the calls not yet answered when it is reached
/// (at most the mirror's concurrency). The mirror writes pairs and re-reads the store under one lock, so a
/// pair is counted once: in the store's figures or in this gateway's own. Other gateways' pairs are seen at the next
/// re-read, so with several gateways a cap can be passed by what the others mirrored since.
/// </summary>
internal sealed class ShadowBudget(ShadowRoute shadow)
{
    private readonly Lock _sync = new();
    private ShadowSpend _stored;
    private long _localPairs;
    private double _localCost;
    private long _inFlight;
    private double _pendingCost;
    private volatile bool _exhausted;

    public ShadowRoute Shadow { get; } = shadow;

    /// <summary>When the store was last read; null before the first read (nothing is mirrored until then).</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>True once a cap is reached: cheap to check on the request path.</summary>
    public bool Exhausted => _exhausted;

    /// <summary>Takes a slot for one mirrored call; false when a cap is reached.</summary>
    public bool TryReserve()
    {
        lock (_sync)
        {
            if (ReadAt is null || Reached(_inFlight))
            {
                _exhausted = ReadAt is not null;
                return false;
            }

            _inFlight++;
            _exhausted = Reached(0);
            return true;
        }
    }

    /// <summary>A reserved call was answered at <paramref name="costUsd"/>: spent now, though its pair is not stored yet.</summary>
    public void Answered(double costUsd)
    {
        lock (_sync)
        {
            _pendingCost += costUsd;
            _exhausted = Reached(_inFlight);
        }
    }

    /// <summary>An answered call's pair was stored: its slot is freed and it counts as this gateway's pair.</summary>
    public void Stored(double costUsd)
    {
        lock (_sync)
        {
            _inFlight--;
            _pendingCost -= costUsd;
            _localPairs++;
            _localCost += costUsd;
            _exhausted = Reached(_inFlight);
        }
    }

    /// <summary>A reserved call ended without a stored pair; <paramref name="answeredCostUsd"/> is what <see cref="Answered"/> counted, if it was.</summary>
    public void Release(double? answeredCostUsd)
    {
        lock (_sync)
        {
            _inFlight--;
            _pendingCost -= answeredCostUsd ?? 0;
            _exhausted = Reached(_inFlight);
        }
    }

    /// <summary>Adopts the store's figures (which include every pair this gateway wrote before <paramref name="before"/> was taken).</summary>
    public void Refresh(ShadowSpend stored, (long Pairs, double Cost) before, DateTimeOffset at)
    {
        lock (_sync)
        {
            _stored = stored;
            _localPairs -= before.Pairs;
            _localCost -= before.Cost;
            ReadAt = at;
            _exhausted = Reached(_inFlight);
        }
    }

    /// <summary>What this gateway wrote since the last refresh, taken just before reading the store.</summary>
    public (long Pairs, double Cost) Local()
    {
        lock (_sync)
        {
            return (_localPairs, _localCost);
        }
    }

    private bool Reached(long inFlight) =>
        new ShadowSpend(_stored.Pairs + _localPairs + inFlight, _stored.CostUsd + _localCost + _pendingCost).Reached(Shadow.MaxCostUsd, Shadow.MaxRequests);
}
