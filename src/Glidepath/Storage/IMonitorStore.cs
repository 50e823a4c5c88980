using Glidepath.Monitoring;

namespace Glidepath.Storage;

/// <summary>Drift alerts (append-only apart from their notification status) and the environment configurations the checklist has seen.</summary>
public interface IMonitorStore
{
    Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken);

    /// <summary>Records how the webhook delivery went (sent, or failed: reason).</summary>
    Task SetNotificationAsync(string alertId, string notification, CancellationToken cancellationToken);

    /// <summary>Alerts of one environment, newest first.</summary>
    Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every alert on this (environment, release) raised at or after <paramref name="since"/>, newest first, with no limit:
    /// the checklist reads the open ones from it, however many alerts the environment has.
    /// </summary>
    Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The newest alert on this (environment, release, metric), or null.</summary>
    Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken);

    /// <summary>
    /// Notes that the environment's configuration has fingerprint <paramref name="sha256"/> at <paramref name="now"/> and returns
    /// when that configuration was first seen — null when it is the first one ever recorded (its change time is unknown).
    /// </summary>
    Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken);
}
