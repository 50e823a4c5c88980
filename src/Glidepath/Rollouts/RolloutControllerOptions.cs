namespace Glidepath.Rollouts;

/// <summary>How often the controller looks, who it is for the lease, and (optionally) which environment it serves.</summary>
public sealed record RolloutControllerOptions
{
    /// <summary>This controller's lease holder name (e.g. host:pid:random), unique per running process.</summary>
    public required string Holder { get; init; }
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without renewal: after that another controller may take over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After store trouble (a failed pass, this host's trace writer keeping traces, a lease taken over after it expired),
    /// how long the controller waits before it advances or promotes, so the traces every gateway kept meanwhile are written
    /// first: a writer retries after at most 5 s and writes its backlog (at most 12,000) in batches of 2,000. Harm still
    /// rolls back at once. <see cref="TimeSpan.Zero"/>: no wait (not advised; docs/rollouts.md, "After store trouble").
    /// </summary>
    public TimeSpan SettleWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Only rollouts of this app (null: all). With <see cref="Environment"/> set too, the controller holds that environment's lease on every pass, a rollout active there or not.</summary>
    public string? App { get; init; }

    /// <summary>Only rollouts in this environment (null: all). With <see cref="App"/> set too, the controller holds that environment's lease on every pass, a rollout active there or not.</summary>
    public string? Environment { get; init; }
}
