namespace Glidepath.Shadow;

/// <summary>
/// One stored shadow pair: the stable trace the caller was answered with, the candidate's trace (arm <c>shadow</c>)
/// on the same input, and the values the paired judge reads (<see cref="ToPair"/>). Immutable once written.
/// </summary>
public sealed record ShadowPairRecord
{
    public required string ShadowId { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required string StableTraceId { get; init; }
    public required string CandidateTraceId { get; init; }
    public required string StableReleaseId { get; init; }
    public required string CandidateReleaseId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The request's subject group (<see cref="Traces.SubjectGroups"/>).</summary>
    public int Group { get; init; }

    public bool StableError { get; init; }
    public bool CandidateError { get; init; }

    /// <summary>Time waiting for the provider (the trace's latency minus the gateway's overhead), in ms; null after an error.</summary>
    public double? StableLatencyMs { get; init; }
    public double? CandidateLatencyMs { get; init; }

    /// <summary>Model cost in USD; the candidate's is what the shadow spent on this pair (0 for an unpriced model).</summary>
    public double StableCostUsd { get; init; }
    public double CandidateCostUsd { get; init; }

    public bool? StablePassed { get; init; }
    public bool? CandidatePassed { get; init; }
    public double? StableScore { get; init; }
    public double? CandidateScore { get; init; }

    /// <summary>The pairwise judge's preference for the candidate in [0, 1] (<see cref="PairwisePreference.Combine"/>); null without one.</summary>
    public double? CandidatePreference { get; init; }

    /// <summary>The values the paired judge adds to a <see cref="PairedSample"/>.</summary>
    public ShadowPair ToPair() => new(
        Group,
        StableError,
        CandidateError,
        StableLatencyMs,
        CandidateLatencyMs,
        StableCostUsd,
        CandidateCostUsd,
        StablePassed,
        CandidatePassed,
        StableScore,
        CandidateScore,
        CandidatePreference);
}
