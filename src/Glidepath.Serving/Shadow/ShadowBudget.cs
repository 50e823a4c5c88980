using Glidepath.Routing;
using Glidepath.Shadow;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// One shadow's caps as this gateway sees them: the store's pairs and spend at the last read, plus what this gateway
/// wrote since and what it has in flight (calls not answered yet, and answered pairs waiting for the batch write, whose
/// cost counts at once). A request is mirrored only while every cap has room; max_requests counts calls in flight, so
/// it is never exceeded by this gateway; the cost cap can be passed by the calls not yet answered when it is reached
/// (at most the mirror's concurrency). The mirror writes pairs and re-reads the store under one lock, so a
/// pair is counted once: in the store's figures or in this gateway's own. Other gateways' pairs are seen only at the
/// next re-read, so the caps are shared by claims as well: this gateway mirrors only within what it claimed from the
/// store (<see cref="Storage.IShadowStore.ClaimAsync"/>, a twentieth of a cap at a time), and the claims of all gateways
/// together never pass a cap. So max_requests is never passed by all gateways together, and the cost cap by at most
/// the calls each gateway had in flight when its claim ran out (until 2026-12-07 three gateways passed a cap of 150
/// pairs by 58% and one of $0.30 by 125%, each counting only what it had read and done itself). The claims are held
/// with a lease (<see cref="ShadowClaims.Lease"/>): the mirror renews them at each re-read, mirrors within them only while
/// renewed within <see cref="ShadowClaims.UsableFor"/>, and starts again from nothing when the store dropped them.
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

    // Claimed from the store by this gateway (the part of each cap it may use), what it has used of them (calls reserved
    // and not released; cost of answered calls, kept even when the pair is not stored: it was spent), and when the
    // store last had nothing left to grant (another claim waits for the next re-read: a stopping gateway may give some back).
    private ShadowSpend _claimed;
    private long _claimedUsedPairs;
    private double _claimedUsedCost;
    private long _poolEmptyTicks; // UtcTicks; 0: the store granted what was wanted at the last claim

    // The holding in the store (ShadowClaims.Lease): when it was last renewed or claimed on (UtcTicks taken before the call;
    // 0: nothing held yet), and what this gateway stored of its claims since it began holding (what a renewal reports).
    private long _heldTicks;
    private ShadowSpend _heldStored;

    /// <summary>True after the store failed the last claim (the call is counted as failed, not capped).</summary>
    public bool ClaimFailed { get; set; }

    /// <summary>A claim's share of a cap: a twentieth, at least one request.</summary>
    public const int ClaimParts = 20;

    public ShadowRoute Shadow { get; } = shadow;

    /// <summary>When the store was last read; null before the first read (nothing is mirrored until then).</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>True once a cap is reached: cheap to check on the request path.</summary>
    public bool Exhausted => _exhausted;

    /// <summary>Takes a slot for one mirrored call; false when a cap is reached, or the claims are not renewed (<see cref="Stale"/>).</summary>
    public bool TryReserve(DateTimeOffset now)
    {
        lock (_sync)
        {
            if (ReadAt is null || Reached(_inFlight) || !ClaimHasRoom() || Stale(now))
            {
                _exhausted = ReadAt is not null && Reached(_inFlight);
                return false;
            }

            _inFlight++;
            _claimedUsedPairs++;
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
            _claimedUsedCost += costUsd;
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
            _heldStored = new ShadowSpend(_heldStored.Pairs + 1, _heldStored.CostUsd + costUsd);
            _exhausted = Reached(_inFlight);
        }
    }

    /// <summary>A reserved call ended without a stored pair; <paramref name="answeredCostUsd"/> is what <see cref="Answered"/> counted, if it was.</summary>
    public void Release(double? answeredCostUsd)
    {
        lock (_sync)
        {
            _inFlight--;
            _claimedUsedPairs--; // no pair: its place under max_requests is free again (its cost, if answered, stays spent)
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

    /// <summary>
    /// What to claim from the store before the next call, or null when this gateway's claims have room (or no cap is
    /// set). A part is wanted only when used up: a chunk of its cap, and for the cost what the calls in flight at the
    /// last claim spent beyond it, so that the claims keep covering what was spent. Null too while the store had
    /// nothing left at the last try, until <paramref name="retryAfter"/> has passed.
    /// </summary>
    public ShadowSpend? Want(DateTimeOffset now, TimeSpan retryAfter)
    {
        lock (_sync)
        {
            if (ClaimHasRoom() || ClaimsRanOut(now, retryAfter) || Stale(now))
            {
                return null;
            }

            // As for the cost, the pairs used beyond the claims (calls in flight when a lapsed holding was dropped) are claimed too.
            var pairs = Shadow.MaxRequests is { } max && _claimedUsedPairs >= _claimed.Pairs ? (_claimedUsedPairs - _claimed.Pairs) + Math.Max(1, max / ClaimParts) : 0;
            var cost = Shadow.MaxCostUsd is { } cap && _claimedUsedCost >= _claimed.CostUsd ? (_claimedUsedCost - _claimed.CostUsd) + (cap / ClaimParts) : 0;
            return new ShadowSpend(pairs, cost);
        }
    }

    /// <summary>The shadow's caps as a claim's limits (a part without a cap is never claimed).</summary>
    public ShadowSpend Caps => new(Shadow.MaxRequests ?? 0, Shadow.MaxCostUsd ?? 0);

    /// <summary>
    /// Adds what the store granted for <paramref name="wanted"/> in a claim made at <paramref name="now"/> (which renewed the
    /// holding); a wanted part granted short, with no room left, means the caps are all claimed.
    /// </summary>
    public void Granted(ShadowSpend wanted, ShadowSpend granted, DateTimeOffset now)
    {
        lock (_sync)
        {
            _heldTicks = Math.Max(_heldTicks, now.UtcTicks);
            _claimed = new ShadowSpend(_claimed.Pairs + granted.Pairs, _claimed.CostUsd + granted.CostUsd);
            // Granted less than wanted, and no room left here: the caps are all claimed. Granted in full but used up already
            // (calls answered meanwhile) is not that: the next call claims again. Granted short with room left: the room is
            // used first, and the claim after it finds the store empty.
            var grantedShort = granted.Pairs < wanted.Pairs || granted.CostUsd < wanted.CostUsd * (1 - 1e-12);
            Volatile.Write(ref _poolEmptyTicks, grantedShort && !ClaimHasRoom() ? now.UtcTicks : 0);
        }
    }

    /// <summary>What this gateway stored of its claims since it began holding them: what a renewal reports.</summary>
    public ShadowSpend HeldStored()
    {
        lock (_sync)
        {
            return _heldStored;
        }
    }

    /// <summary>
    /// The store renewed the holding in a call made at <paramref name="at"/> (true), or it holds nothing (false: it lapsed
    /// and was dropped, and the claims were counted again without it). Then nothing claimed is this gateway's any more:
    /// the calls in flight count as used of the next claim, which claims them too, and the holding starts again.
    /// </summary>
    public void Renewed(bool held, DateTimeOffset at)
    {
        lock (_sync)
        {
            if (held)
            {
                _heldTicks = Math.Max(_heldTicks, at.UtcTicks);
                return;
            }

            if (_heldTicks == 0)
            {
                return; // nothing claimed yet: nothing to hold
            }

            _claimed = default;
            _claimedUsedPairs = _inFlight;
            _claimedUsedCost = _pendingCost;
            _heldStored = default;
            _heldTicks = 0;
            Volatile.Write(ref _poolEmptyTicks, 0);
        }
    }

    /// <summary>
    /// True when this gateway holds claims not renewed for <see cref="ShadowClaims.UsableFor"/> before <paramref name="now"/>
    /// (the store could not be reached): it mirrors nothing within them until a renewal, since another gateway may count
    /// them again once the lease has passed.
    /// </summary>
    public bool Stale(DateTimeOffset now)
    {
        var held = Volatile.Read(ref _heldTicks);
        return held != 0 && now.UtcTicks - held >= ShadowClaims.UsableFor.Ticks;
    }

    /// <summary>What this gateway claimed and has not used (given back when it stops).</summary>
    public ShadowSpend Unused()
    {
        lock (_sync)
        {
            return new ShadowSpend(Math.Max(_claimed.Pairs - _claimedUsedPairs, 0), Math.Max(_claimed.CostUsd - _claimedUsedCost, 0));
        }
    }

    /// <summary>
    /// True when the store had nothing left to grant at the last claim, less than <paramref name="retryAfter"/> before
    /// <paramref name="now"/>: cheap on the request path, which then does not queue the call (counted as capped).
    /// </summary>
    public bool ClaimsRanOut(DateTimeOffset now, TimeSpan retryAfter) =>
        Volatile.Read(ref _poolEmptyTicks) is var ticks and not 0 && now.UtcTicks - ticks < retryAfter.Ticks;

    /// <summary>True when every capped part has room left in this gateway's claims (under the lock).</summary>
    private bool ClaimHasRoom() =>
        (Shadow.MaxRequests is null || _claimedUsedPairs < _claimed.Pairs) && (Shadow.MaxCostUsd is null || _claimedUsedCost < _claimed.CostUsd);

    private bool Reached(long inFlight) =>
        new ShadowSpend(_stored.Pairs + _localPairs + inFlight, _stored.CostUsd + _localCost + _pendingCost).Reached(Shadow.MaxCostUsd, Shadow.MaxRequests);
}
