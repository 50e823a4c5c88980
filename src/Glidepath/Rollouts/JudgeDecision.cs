namespace Glidepath.Rollouts;

/// <summary>A judge's decision with everything it was based on, so that a user can always see why.</summary>
public sealed record JudgeDecision
{
    public required JudgeOutcome Outcome { get; init; }

    /// <summary>One or two sentences in plain words: what was decided and which interval made it so.</summary>
    public required string Reason { get; init; }
    public required long CanaryRequests { get; init; }
    public required long StableRequests { get; init; }

    /// <summary>Distinct subjects each arm served in the step (a lower bound: subject groups that saw a request); null without groups.</summary>
    public int? CanarySubjects { get; init; }
    public int? StableSubjects { get; init; }

    /// <summary>Effective subjects per arm (Kish's effective number of subject groups): what min_subjects is checked against.</summary>
    public double? CanaryEffectiveSubjects { get; init; }
    public double? StableEffectiveSubjects { get; init; }
    public required TimeSpan StepElapsed { get; init; }
    public required IReadOnlyList<MetricEvidence> Evidence { get; init; }
}
