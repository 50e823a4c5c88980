using Glidepath.Errors;
using Glidepath.Monitoring;

namespace Glidepath.Storage.InMemory;

/// <summary>Drift alerts (append-only apart from their webhook delivery) and the environment configurations seen.</summary>
internal sealed class InMemoryMonitorStore(string location) : IMonitorStore
{
    private readonly Lock _sync = new();

    // In the order raised: the tie-break between alerts of the same time, newest saved first.
    private readonly List<DriftAlert> _alerts = [];

    // When each configuration fingerprint of an environment was first seen.
    private readonly Dictionary<(string App, string Environment), Dictionary<string, DateTimeOffset>> _configs = [];

    public Task SaveAlertAsync(DriftAlert alert, CancellationToken cancellationToken) =>
        Synchronously.Run(() => Insert(alert, unlessRaised: null), cancellationToken);

    public Task<bool> RaiseAlertAsync(DriftAlert alert, DateTimeOffset raisedAfter, DateTimeOffset raisedUntil, CancellationToken cancellationToken) =>
        Synchronously.Run(() => Insert(alert, (raisedAfter, raisedUntil)), cancellationToken);

    // The check and the insert under one lock: of two monitors raising the same metric at once, the second finds the first's.
    private bool Insert(DriftAlert alert, (DateTimeOffset After, DateTimeOffset Until)? unlessRaised)
    {
        ArgumentNullException.ThrowIfNull(alert);
        lock (_sync)
        {
            if (_alerts.Exists(a => a.Id == alert.Id))
            {
                throw new OperationalException($"cannot save drift alert {alert.Id} in the store at {location}: an alert with this id exists; nothing was written");
            }

            if (unlessRaised is var (after, until) && _alerts.Exists(a => a.App == alert.App && a.Environment == alert.Environment && a.ReleaseId == alert.ReleaseId
                && a.Metric == alert.Metric && a.RaisedAt > after && a.RaisedAt <= until))
            {
                return false;
            }

            var w = alert.Windows;
            _alerts.Add(alert with
            {
                RaisedAt = alert.RaisedAt.ToUniversalTime(),
                DeliveryDue = alert.DeliveryDue?.ToUniversalTime(),
                Windows = new DriftWindows(w.ReferenceFrom.ToUniversalTime(), w.ReferenceTo.ToUniversalTime(), w.RecentFrom.ToUniversalTime(), w.RecentTo.ToUniversalTime()),
            });
            return true;
        }
    }

    public Task RecordDeliveryAsync(string alertId, string notification, DateTimeOffset? nextDue, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var i = _alerts.FindIndex(a => a.Id == alertId);
                if (i >= 0 && _alerts[i].Notification != AlertDelivery.Sent)
                {
                    _alerts[i] = _alerts[i] with { Notification = notification, DeliveryDue = nextDue?.ToUniversalTime() };
                }
            }
        }, cancellationToken);

    public Task<bool> ClaimDeliveryAsync(string alertId, DateTimeOffset now, DateTimeOffset leaseUntil, DateTimeOffset ignoreDueAfter, bool resend, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                var i = _alerts.FindIndex(a => a.Id == alertId);
                if (i < 0 || _alerts[i].Notification == AlertDelivery.Sent || (_alerts[i].DeliveryDue is { } due && due > now && due <= ignoreDueAfter)
                    || (!resend && _alerts[i].DeliveryGaveUp))
                {
                    return false;
                }

                _alerts[i] = _alerts[i] with { DeliveryAttempts = _alerts[i].DeliveryAttempts + 1, DeliveryDue = leaseUntil.ToUniversalTime() };
                return true;
            }
        }, cancellationToken);

    public Task<IReadOnlyList<DriftAlert>> ListUndeliveredAsync(string app, string environment, DateTimeOffset since, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<DriftAlert>>(() =>
        {
            var newestFirst = NewestFirst(a => a.App == app && a.Environment == environment && a.RaisedAt >= since && a.Notification != AlertDelivery.Sent);
            newestFirst.Reverse();
            return newestFirst;
        }, cancellationToken);

    public Task<IReadOnlyList<DriftAlert>> ListAlertsAsync(string app, string environment, int limit, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<DriftAlert>>(() => [.. NewestFirst(a => a.App == app && a.Environment == environment).Take(Math.Max(1, limit))], cancellationToken);

    public Task<IReadOnlyList<DriftAlert>> ListAlertsSinceAsync(string app, string environment, string releaseId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<DriftAlert>>(() => NewestFirst(a => a.App == app && a.Environment == environment && a.ReleaseId == releaseId && a.RaisedAt >= since), cancellationToken);

    public Task<DriftAlert?> GetAlertAsync(string app, string alertId, CancellationToken cancellationToken) =>
        Synchronously.Run(() => NewestFirst(a => a.App == app && a.Id == alertId).FirstOrDefault(), cancellationToken);

    public Task<DriftAlert?> LatestAlertAsync(string app, string environment, string releaseId, string metric, CancellationToken cancellationToken) =>
        Synchronously.Run(() => NewestFirst(a => a.App == app && a.Environment == environment && a.ReleaseId == releaseId && a.Metric == metric).FirstOrDefault(), cancellationToken);

    public Task<DateTimeOffset?> ObserveConfigAsync(string app, string environment, string sha256, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run<DateTimeOffset?>(() =>
        {
            lock (_sync)
            {
                if (!_configs.TryGetValue((app, environment), out var seen))
                {
                    seen = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
                    _configs[(app, environment)] = seen;
                }

                var known = seen.Count;
                seen.TryAdd(sha256, now.ToUniversalTime());
                var firstSeen = seen[sha256];

                // The first configuration ever recorded was not seen to change: when it was set is unknown.
                return known == 0 || firstSeen == seen.Values.Min() ? null : firstSeen;
            }
        }, cancellationToken);

    private List<DriftAlert> NewestFirst(Func<DriftAlert, bool> match)
    {
        lock (_sync)
        {
            return [.. Enumerable.Reverse(_alerts).Where(match).OrderByDescending(a => a.RaisedAt)];
        }
    }
}
