namespace Glidepath.Environments;

/// <summary>
/// A state change applied atomically with its history event, only if the environment is still at
/// <see cref="ExpectedRevision"/> (compare-and-swap); otherwise the store throws a PolicyException
/// "environment changed since it was read" (exit 4).
/// </summary>
public sealed record EnvironmentChange
{
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required long ExpectedRevision { get; init; }

    /// <summary>The state after the change (its Revision is ignored; the store sets ExpectedRevision + 1).</summary>
    public required EnvironmentState NewState { get; init; }

    /// <summary>The history event (its Revision is ignored; the store sets it).</summary>
    public required EnvironmentEvent Event { get; init; }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when no store may write this change: a negative expected revision, an
    /// event without a kind or an actor, a canary weight outside 0–100, or a shadow rate outside (0, 1]. Every store checks it before writing.
    /// </summary>
    public void Validate()
    {
        if (ExpectedRevision < 0)
        {
            throw new ArgumentException($"ExpectedRevision must be >= 0, got {ExpectedRevision}", "change");
        }

        if (string.IsNullOrWhiteSpace(Event.Kind) || string.IsNullOrWhiteSpace(Event.Actor))
        {
            throw new ArgumentException("every environment event needs a kind and an actor", "change");
        }

        if (NewState.Canary is { Weight: var weight } && !(weight is >= 0 and <= 100))
        {
            throw new ArgumentException($"a canary weight is a percentage in 0-100, got {weight}", "change");
        }

        if (NewState.Shadow is { } shadow && (!(shadow.Rate is > 0 and <= 1) || shadow.MaxCostUsd is <= 0 || shadow.MaxRequests is <= 0 || string.IsNullOrWhiteSpace(shadow.ShadowId)))
        {
            throw new ArgumentException($"a shadow needs an id, a rate in (0, 1] and positive caps, got rate {shadow.Rate}, max cost {shadow.MaxCostUsd}, max requests {shadow.MaxRequests}", "change");
        }
    }
}
