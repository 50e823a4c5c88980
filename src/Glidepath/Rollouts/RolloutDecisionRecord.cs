namespace Glidepath.Rollouts;

/// <summary>
/// One entry of a rollout's decision log: what happened (start, advance, rollback, hold, promote, pause, resume,
/// abort, ended_externally), who or what decided it, why, and the judge's evidence when the judge decided.
/// </summary>
public sealed record RolloutDecisionRecord
{
    public required string RolloutId { get; init; }

    /// <summary>Order within the rollout; set by the store.</summary>
    public long Sequence { get; init; }
    public required string Kind { get; init; }
    public required int StepIndex { get; init; }
    public required double Weight { get; init; }
    public required string Actor { get; init; }
    public required string Reason { get; init; }
    public long CanaryRequests { get; init; }
    public long StableRequests { get; init; }

    /// <summary>The per-metric evidence (a JSON array of <see cref="MetricEvidence"/>), or null when no judge was involved.</summary>
    public string? EvidenceJson { get; init; }
    public required DateTimeOffset Time { get; init; }
}
