using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// One canary rollout of a release into an environment: its plan, where it is in the state machine, and the
/// cumulative arm sums at the start of the current step (so the judge sees only the step's own requests).
/// </summary>
public sealed record Rollout
{
    public required string Id { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }

    /// <summary>The canary release.</summary>
    public required string ReleaseId { get; init; }

    /// <summary>The stable release the canary is compared with (the environment's stable when it started).</summary>
    public required string BaselineReleaseId { get; init; }
    public required RolloutPlan Plan { get; init; }

    /// <summary>One of <see cref="RolloutState"/>.</summary>
    public required string State { get; init; }

    /// <summary>Index into Plan.Steps of the current weight.</summary>
    public required int StepIndex { get; init; }
    public required DateTimeOffset StepStartedAt { get; init; }

    /// <summary>Cumulative sums since the rollout started, read when the current step began.</summary>
    public ArmSample StepCanaryBaseline { get; init; }
    public ArmSample StepStableBaseline { get; init; }

    /// <summary>The sticky split's seed: the same for every step, so a widening keeps every subject already on the canary.</summary>
    public required string Seed { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string StartedBy { get; init; }
    public string? Reason { get; init; }
    public bool Forced { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }

    /// <summary>Incremented by every transition; a transition applies only at the version it read.</summary>
    public long Version { get; init; }

    public double Weight => Plan.Steps[Math.Clamp(StepIndex, 0, Plan.Steps.Count - 1)];

    public bool IsActive => RolloutState.IsActive(State);
}
