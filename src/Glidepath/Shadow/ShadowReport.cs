using Glidepath.Environments;

namespace Glidepath.Shadow;

/// <summary>
/// A shadow as <c>shadow status</c> shows it: what was started (from the environment's state or history), whether it
/// is still active, what it has used against its caps, and the paired judge's decision on its pairs right now.
/// </summary>
public sealed record ShadowReport
{
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required ShadowState Shadow { get; init; }

    /// <summary>
    /// The stable release whose pairs are judged: the environment's stable release now (the one the checklist and
    /// <c>rollout start --require-shadow</c> judge against), or the release the candidate replaced once the candidate
    /// itself is stable; the stable when the shadow started when the environment has none.
    /// </summary>
    public string? StableReleaseId { get; init; }

    /// <summary>Pairs answered by another stable release (a deploy, rollback or promote came during the shadow): counted against the caps, not judged.</summary>
    public IReadOnlyList<StablePairCount> PairsAgainstOtherStables { get; init; } = [];

    /// <summary>True when the candidate has become the environment's stable release: an active shadow mirrors nothing now.</summary>
    public bool CandidateIsStable { get; init; }

    public required bool Active { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string StartedBy { get; init; }
    public string? StartReason { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public string? StopReason { get; init; }

    public required ShadowSpend Spend { get; init; }

    /// <summary>What the gateways hold claimed of the caps (<see cref="Storage.IShadowStore.ClaimStateAsync"/>); null while none has claimed, and in the reports the checklist reads.</summary>
    public ShadowSpend? Claimed { get; init; }

    /// <summary>
    /// An active shadow below its caps whose caps are all claimed and that stored nothing for a lease
    /// (<see cref="ShadowClaimState.Stalled"/>): gateways that stopped renewing hold the rest until it lapses.
    /// </summary>
    public bool Stalled { get; init; }

    /// <summary>Gateways holding a part of the claims that have not renewed it within the lease (killed, or cut off from the store).</summary>
    public int LapsedHolders { get; init; }

    /// <summary>
    /// The pairs stored when the shadow was stopped, as its <c>shadow_stop</c> event records them; null while active.
    /// Calls in flight at the stop can still store their pairs after it, so <see cref="Spend"/> may count more.
    /// </summary>
    public long? PairsAtStop { get; init; }

    /// <summary>True when a cap is reached: gateways mirror no more requests for this shadow.</summary>
    public bool CapReached => Spend.Reached(Shadow);

    /// <summary>
    /// Pairs whose candidate errored, over every pair <see cref="Spend"/> counts (whatever stable release answered them):
    /// a candidate that cannot be served shows here, not as a pass. Until 2026-12-06 only the judged pairs were counted,
    /// so after a stable change a candidate that failed every call showed 0.
    /// </summary>
    public required long CandidateErrors { get; init; }

    /// <summary>The pairs against <see cref="StableReleaseId"/>: the ones the judge reads.</summary>
    public required long JudgedPairs { get; init; }

    /// <summary>The candidate's errors among <see cref="JudgedPairs"/>.</summary>
    public required long JudgedCandidateErrors { get; init; }

    public required PairedDecision Decision { get; init; }
}
