namespace Glidepath.Routing;

/// <summary>
/// The immutable routing snapshot of one environment at one revision. A new revision builds a new table
/// and <see cref="RoutingTableSource"/> swaps it in atomically; a request routes against the one table it read.
/// </summary>
public sealed record RoutingTable
{
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required long Revision { get; init; }

    /// <summary>The stable release, or null when the environment has never had one (requests get 503).</summary>
    public RoutedRelease? Stable { get; init; }

    public CanaryRoute? Canary { get; init; }

    /// <summary>The candidate that answers a sampled share of stable's requests in the background; never routed to.</summary>
    public ShadowRoute? Shadow { get; init; }

    /// <summary>The kill switch: while frozen, every request goes to stable and the canary is suspended.</summary>
    public bool Frozen { get; init; }

    /// <summary>
    /// This process has not read the store for longer than its limit: every request goes to stable, since a rollback
    /// made meanwhile cannot be seen here (<see cref="Canary"/> stays, for status). Reloading the table ends it.
    /// </summary>
    public bool CanaryWithheld { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }

    /// <summary>Routes a request keyed by <paramref name="key"/>; null when there is no stable release to serve.</summary>
    public RouteDecision? Route(in SubjectKey key)
    {
        if (Stable is null)
        {
            return null;
        }

        if (Frozen || CanaryWithheld || Canary is not { } canary || canary.Weight <= 0)
        {
            return new RouteDecision(Stable, Arm.Stable, null, 0);
        }

        var bucket = StickySplit.Bucket(key.Value, canary.Seed);
        return StickySplit.IsCanary(bucket, canary.Weight)
            ? new RouteDecision(canary.Release, Arm.Canary, bucket, canary.Weight)
            : new RouteDecision(Stable, Arm.Stable, bucket, canary.Weight);
    }
}
