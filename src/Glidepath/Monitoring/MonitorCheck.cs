using Glidepath.Rollouts;

namespace Glidepath.Monitoring;

/// <summary>The result of one drift check of one environment: what was compared and which alerts it raised.</summary>
public sealed record MonitorCheck
{
    public required string App { get; init; }
    public required string Environment { get; init; }

    /// <summary>The stable release checked, or null when the environment has none.</summary>
    public string? ReleaseId { get; init; }

    /// <summary>The recent window and its time-matched reference, or null when nothing was compared.</summary>
    public DriftWindows? Windows { get; init; }

    /// <summary>Requests in the reference: the sum over every matched window.</summary>
    public long ReferenceRequests { get; init; }
    public long RecentRequests { get; init; }

    /// <summary>Per metric, recent vs reference, then <c>no_traffic</c> (empty when the windows are not ready).</summary>
    public IReadOnlyList<MetricEvidence> Evidence { get; init; } = [];

    /// <summary>
    /// The windows <c>no_traffic</c> was judged against when they are not the matched windows: the release had no request
    /// since before the newest of them, so those lie inside the stop and earlier ones were read (<see cref="Monitoring.TrafficStopReference"/>). Null otherwise.
    /// </summary>
    public TrafficStopReference? TrafficStopReference { get; init; }

    /// <summary>
    /// What <c>error_rate</c> did with refusals of the request and timeouts when either window had some (credited, not
    /// credited, or counted in full and weighed as their subjects: <see cref="DriftMonitor.OneArm"/>), so a reader can tell
    /// why one caller's refusals raised no alert; null when neither had any.
    /// </summary>
    public string? OneArm { get; init; }

    /// <summary>
    /// Why metrics with enough requests were not judged when the cause is how they spread over subjects
    /// (<see cref="DriftMonitor.SubjectShortfall"/>); null otherwise.
    /// </summary>
    public string? SubjectShortfall { get; init; }

    /// <summary>Alerts raised by this check (a metric already alerted within the recent window is not raised again).</summary>
    public IReadOnlyList<DriftAlert> Raised { get; init; } = [];

    /// <summary>Every webhook delivery this check attempted: its own alerts' first posts and retries of earlier ones, oldest alert first.</summary>
    public IReadOnlyList<AlertDeliveryResult> Delivered { get; init; } = [];

    /// <summary>
    /// Recent alerts raised more than <see cref="DriftAlert.ClockSlack"/> after this check's time, by a host whose clock was
    /// ahead: they did not stop this check raising their metric.
    /// </summary>
    public IReadOnlyList<DriftAlert> RaisedAhead { get; init; } = [];

    /// <summary>
    /// The metrics that drifted and were not raised by this check because an alert of theirs from within the recent window
    /// is open: that alert, one per metric (trial pgtwo: a check exited 1 on DRIFT with no alert line and no reason).
    /// </summary>
    public IReadOnlyList<DriftAlert> AlreadyAlerted { get; init; } = [];

    /// <summary>Why nothing was compared, or null.</summary>
    public string? Skipped { get; init; }

    /// <summary>When a release still without a matched reference window gets one (set when skipped for that reason).</summary>
    public DateTimeOffset? ReadyAt { get; init; }
}
