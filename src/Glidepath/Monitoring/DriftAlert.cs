using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>
/// A stored drift alert: one metric of the stable release moved beyond its tolerance compared with the
/// release's own traffic in the same clock window on earlier days, with the interval that showed it.
/// </summary>
public sealed record DriftAlert
{
    public required string Id { get; init; }
    public required string App { get; init; }
    public required string Environment { get; init; }
    public required string ReleaseId { get; init; }
    public required string Metric { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }
    public required DriftWindows Windows { get; init; }

    /// <summary>Recent vs reference: n per window, estimate, interval and tolerance (ratio or difference).</summary>
    public required MetricEvidence Evidence { get; init; }

    /// <summary>One sentence in plain words.</summary>
    public required string Message { get; init; }

    /// <summary>none (no webhook configured), sent, or failed: reason.</summary>
    public string Notification { get; init; } = "none";
}
