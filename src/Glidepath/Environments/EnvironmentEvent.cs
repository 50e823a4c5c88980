namespace Glidepath.Environments;

/// <summary>One entry of an environment's append-only history.</summary>
/// <param name="Kind">deploy, promote, rollback, freeze, unfreeze, drill, canary_set, canary_cleared, rollout_* …</param>
public sealed record EnvironmentEvent
{
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required long Revision { get; init; }
    public required string Kind { get; init; }
    public required string Actor { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string? FromReleaseId { get; init; }
    public string? ToReleaseId { get; init; }
    public bool Forced { get; init; }

    /// <summary>Kind-specific evidence as a JSON object (e.g. a drill's measured duration), or null.</summary>
    public string? DetailsJson { get; init; }
}
