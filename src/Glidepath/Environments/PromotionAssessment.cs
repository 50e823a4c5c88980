using Glidepath.Evals.Gate;

namespace Glidepath.Environments;

/// <summary>The outcome of checking a release against an environment's promotion policy.</summary>
public sealed record PromotionAssessment
{
    /// <summary>Unmet prerequisites; empty when the promotion is allowed.</summary>
    public required IReadOnlyList<PromotionRequirement> Missing { get; init; }

    /// <summary>The environments on the promotion path that have had the release as their stable.</summary>
    public required IReadOnlyList<string> RequiresMet { get; init; }

    /// <summary>The passing verdict used as evidence, or null (first release, or missing).</summary>
    public string? GateVerdictId { get; init; }

    /// <summary>The gate's evidence against the target's stable (which verdict counts, earlier blocks of the pair); null for a first release.</summary>
    public GateEvidence? Gate { get; init; }

    /// <summary>The target's current stable release, against which the gate is required; null for a first release.</summary>
    public string? BaselineReleaseId { get; init; }

    /// <summary>True when the environment has no stable release yet: there is no baseline to gate against.</summary>
    public bool FirstRelease => BaselineReleaseId is null;

    public bool Allowed => Missing.Count == 0;

    /// <summary>
    /// "gate: v3 passed against production's stable v2 on … (2 earlier runs of this pair blocked)" when the gate's verdict
    /// counted; null otherwise. Newest counts, so a pass after blocks may be a re-roll of a flaky block: it is said, not hidden.
    /// </summary>
    public string? GateNote { get; init; }
}
