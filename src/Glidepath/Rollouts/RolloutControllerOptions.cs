namespace Glidepath.Rollouts;

/// <summary>How often the controller looks, who it is for the lease, and (optionally) which environment it serves.</summary>
public sealed record RolloutControllerOptions
{
    /// <summary>This controller's lease holder name (e.g. host:pid:random), unique per running process.</summary>
    public required string Holder { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without renewal: after that another controller may take over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Only rollouts of this app (null: all).</summary>
    public string? App { get; init; }

    /// <summary>Only rollouts in this environment (null: all).</summary>
    public string? Environment { get; init; }
}
