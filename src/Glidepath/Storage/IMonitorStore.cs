using Glidepath.Monitoring;

namespace Glidepath.Storage;

/// <summary>Drift alerts (append-only apart from their webhook delivery) and the environment configurations the checklist has seen.</summary>
public interface IMonitorStore
{
    /// <summary>Stores <paramref name="alert"/> as it is (an import, a test's seed); the monitor raises through <see cref="RaiseAlertAsync"/>.</summary>
    Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="alert"/> unless its metric is already raised: an alert on the same (environment, release,
    /// metric) raised after <paramref name="raisedAfter"/> and at or before <paramref name="raisedUntil"/> exists
    /// (<see cref="DriftAlert.RaisedSpan"/>). One atomic step: of several monitors raising the same metric at once (the
    /// gateway's check and a cron's), exactly one stores it. True when it was stored.
    /// </summary>
    Task<bool> RaiseAlertAsync(DriftAlert alert, DateTimeOffset raisedAfter, DateTimeOffset raisedUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Records how a webhook delivery went (sent, or failed: reason) and when the next one may start
    /// (<paramref name="nextDue"/>, null when none is wanted: after a failure, the delivery gave up). A delivered alert
    /// stays <c>sent</c>: a later, slower attempt's failure never replaces it.
    /// </summary>
    Task RecordDeliveryAsync(string alertId, string notification, DateTimeOffset? nextDue, CancellationToken cancellationToken);

    /// <summary>
    /// Claims the next webhook delivery of an alert not yet <c>sent</c>, as one atomic compare-and-set: it succeeds only
    /// when no delivery is due later (its due time is unset, at or before <paramref name="now"/>, or after
    /// <paramref name="ignoreDueAfter"/> — so far ahead that a host whose clock was ahead set it), and then counts one
    /// more attempt and holds the alert until <paramref name="leaseUntil"/>. Of several monitors claiming at once, one wins.
    /// A delivery that gave up (attempted, not sent, and no next attempt wanted: <see cref="DriftAlert.DeliveryGaveUp"/>)
    /// is claimed only by a <paramref name="resend"/> (<c>glidepath monitor --resend</c>), never by a check.
    /// </summary>
    Task<bool> ClaimDeliveryAsync(string alertId, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset ignoreDueAfter, bool resend, CancellationToken cancellationToken);

    /// <summary>Alerts of one environment raised at or after <paramref name="since"/> that are not <c>sent</c>, oldest first.</summary>
    Task<IReadOnlyList<DriftAlert>> ListUndeliveredAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Alerts of one environment, newest first.</summary>
    Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Every alert on this (environment, release) raised at or after <paramref name="since"/>, newest first, with no limit:
    /// the checklist reads the open ones from it, however many alerts the environment has.
    /// </summary>
    Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The alert of <paramref name="app"/> with this id, or null.</summary>
    Task<DriftAlert?> GetAlertAsync(string app, string alertId, CancellationToken cancellationToken);

    /// <summary>The newest alert on this (environment, release, metric), or null.</summary>
    Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken);

    /// <summary>
    /// Notes that the environment's configuration has fingerprint <paramref name="sha256"/> at <paramref name="now"/> and returns
    /// when that configuration was first seen — null when it is the first one ever recorded (its change time is unknown).
    /// </summary>
    Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken);
}
