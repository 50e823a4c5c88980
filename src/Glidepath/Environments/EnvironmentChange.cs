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
}
