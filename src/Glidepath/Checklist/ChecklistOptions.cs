namespace Glidepath.Checklist;

/// <summary>The checklist's freshness limits.</summary>
public sealed record ChecklistOptions
{
    /// <summary>A rollback drill counts when it passed within this long.</summary>
    public TimeSpan DrillMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Monitoring is on when the release's traces arrived within this long.</summary>
    public TimeSpan TracesWithin { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>before, rollout, after, or null for every row.</summary>
    public string? Stage { get; init; }

    public static readonly IReadOnlyList<string> Stages = ["before", "rollout", "after"];
}
