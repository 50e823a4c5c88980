namespace Glidepath.Environments;

/// <summary>
/// The stored state of one environment of one app: its stable pointer, optional canary, kill switch and
/// revision. Every change goes through a compare-and-swap on <see cref="Revision"/>.
/// </summary>
public sealed record EnvironmentState
{
    public required string App { get; init; }
    public required string Name { get; init; }

    /// <summary>Incremented by every change; 0 when the environment was never changed.</summary>
    public long Revision { get; init; }

    public string? StableReleaseId { get; init; }
    public DateTimeOffset? StableSince { get; init; }
    public string? StableBy { get; init; }

    public bool Frozen { get; init; }
    public string? FrozenReason { get; init; }

    /// <summary>The canary side of the split while a rollout (or drill) is active; null otherwise.</summary>
    public CanaryState? Canary { get; init; }

    /// <summary>The candidate mirrored in the background while a shadow is active; null otherwise.</summary>
    public ShadowState? Shadow { get; init; }
}
