using Glidepath.Rollouts;

namespace Glidepath.Shadow;

/// <summary>Where a shadow comparison stands.</summary>
public enum PairedOutcome
{
    /// <summary>No metric is conclusive yet, or too few pairs or subjects: keep mirroring.</summary>
    Collecting,

    /// <summary>Every judged metric is safe with enough pairs and subjects: evidence for the canary.</summary>
    Pass,

    /// <summary>At least one metric is worse than its tolerance.</summary>
    Harm,
}

/// <summary>The paired judge's decision with its evidence, in the canary judge's words and shapes.</summary>
public sealed record PairedDecision
{
    public required PairedOutcome Outcome { get; init; }
    public required string Reason { get; init; }
    public required long Pairs { get; init; }
    public required double EffectiveSubjects { get; init; }

    /// <summary>One row per judged metric; canary_n (the candidate's seat) and stable_n are both the pairs that had the metric.</summary>
    public required IReadOnlyList<MetricEvidence> Evidence { get; init; }

    /// <summary>"pass", "harm" or "collecting", as stored and shown.</summary>
    public string OutcomeName => Outcome switch
    {
        PairedOutcome.Pass => "pass",
        PairedOutcome.Harm => "harm",
        _ => "collecting",
    };
}
