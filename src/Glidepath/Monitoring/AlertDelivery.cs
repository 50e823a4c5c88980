using System.Globalization;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Monitoring;

/// <summary>
/// Posts an environment's alerts that are not yet delivered and still open (<see cref="DriftAlert.OpenUntil"/>), oldest
/// first: the ones the check just raised, and earlier ones whose delivery failed or never ran (a monitor stopped between
/// storing and posting). Each attempt is claimed in the store first (<see cref="IMonitorStore.ClaimDeliveryAsync"/>), so
/// of several monitors checking at once one posts it; a failed attempt is tried again after a back-off (1, 2, 4 …
/// minutes, at most <see cref="MaxBackoff"/>) by any later check, while the back-off ends before the alert closes: the
/// attempt after which it would not is the last, and the delivery is stored as given up
/// (<see cref="DriftAlert.DeliveryGaveUp"/>; only <see cref="ResendAsync"/> posts it then). An alert dated after this
/// host's clock is not posted before its time (<see cref="DriftAlert.PostableFrom"/>). The
/// posts of one check run side by side within <see cref="Budget"/>, so a receiver that hangs costs a check one budget,
/// not a timeout per alert. Delivery is at least once: a receiver that took a post but whose answer was lost gets it again.
/// </summary>
public sealed class AlertDelivery(IMonitorStore alerts, IReleaseStore releases, IAlertNotifier notifier, TimeProvider time)
{
    public const string Sent = "sent";
    public const string Pending = "pending";
    public const string NotConfigured = "none";

    /// <summary>How long all the posts of one check may take together.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>How long a claimed attempt holds the alert; longer than <see cref="Budget"/>, so only a monitor that stopped mid-post lets it lapse.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>Delivers what is due now; the attempts made, oldest alert first (empty when none was due or another monitor holds them).</summary>
    public async Task<IReadOnlyList<AlertDeliveryResult>> DeliverAsync(string app, string environment, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await alerts.ListUndeliveredAsync(app, environment, now - DriftAlert.OpenFor(DriftPolicy.MaxWindow), cancellationToken).ConfigureAwait(false);
        var claimed = new List<DriftAlert>();
        // Not one that gave up (whatever this clock says of its open span), nor one dated after this host's clock (a host
        // whose clock was ahead raised it, or this clock stepped back): such a one waits for its own time.
        foreach (var alert in due.Where(a => now < a.OpenUntil && now >= a.PostableFrom && !a.DeliveryGaveUp))
        {
            // A due time further ahead than any back-off or lease was set by a host whose clock is ahead: it holds nothing back.
            if (await alerts.ClaimDeliveryAsync(alert.Id, now, now + Lease, now + MaxBackoff + Lease, resend: false, cancellationToken).ConfigureAwait(false))
            {
                claimed.Add(alert with { Notification = Pending, DeliveryAttempts = alert.DeliveryAttempts + 1 });
            }
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in claimed.Select(a => a.ReleaseId).Distinct(StringComparer.Ordinal))
        {
            labels[id] = (await releases.GetByIdAsync(app, id, cancellationToken).ConfigureAwait(false))?.Label ?? id[..Math.Min(8, id.Length)];
        }

        using var budget = new CancellationTokenSource(Budget, time);
        using var posting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var outcomes = await Task.WhenAll(claimed.Select(a => PostAsync(a, labels[a.ReleaseId], posting.Token, cancellationToken))).ConfigureAwait(false);
        var results = new List<AlertDeliveryResult>(claimed.Count);
        for (var i = 0; i < claimed.Count; i++)
        {
            var alert = claimed[i];
            await alerts.RecordDeliveryAsync(alert.Id, outcomes[i], NextAttempt(alert, outcomes[i], now), cancellationToken).ConfigureAwait(false);
            results.Add(new AlertDeliveryResult(alert.Id, alert.DeliveryAttempts, outcomes[i]));
        }

        return results;
    }

    /// <summary>
    /// Posts one stored alert of <paramref name="environment"/> again now (<c>glidepath monitor --resend</c>): one whose
    /// receiver stayed down until it closed is never posted by a check again. Claimed like any attempt, so it counts one
    /// more and is recorded <c>sent</c> or <c>failed: reason</c>; it does not wait out a back-off, only an attempt in flight.
    /// </summary>
    /// <exception cref="PolicyException">No such alert on this environment, it was sent already, or another monitor is posting it now.</exception>
    public async Task<AlertDeliveryResult> ResendAsync(string app, string environment, string alertId, CancellationToken cancellationToken)
    {
        var alert = await alerts.GetAlertAsync(app, alertId, cancellationToken).ConfigureAwait(false);
        if (alert is null || alert.Environment != environment)
        {
            throw new PolicyException($"environment '{environment}' has no drift alert '{alertId}'; list its alerts with: glidepath monitor --env {environment}");
        }

        var now = time.GetUtcNow();
        // A due time within one lease of now is an attempt in flight (or the shortest back-off after one); a later one is a
        // back-off this resend does not wait for.
        if (alert.Notification == Sent || !await alerts.ClaimDeliveryAsync(alertId, now, now + Lease, now + Lease, resend: true, cancellationToken).ConfigureAwait(false))
        {
            var held = await alerts.GetAlertAsync(app, alertId, cancellationToken).ConfigureAwait(false) ?? alert;
            throw new PolicyException(held.Notification == Sent
                ? string.Create(CultureInfo.InvariantCulture, $"drift alert {alertId} was delivered already (sent, attempt {held.DeliveryAttempts}); --resend posts an alert whose webhook delivery did not succeed")
                : string.Create(CultureInfo.InvariantCulture, $"drift alert {alertId} has a delivery attempt in flight (another monitor's), or waits out the first minutes of back-off after one that failed, until {held.DeliveryDue?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; run --resend again after that"));
        }

        var claimed = alert with { Notification = Pending, DeliveryAttempts = alert.DeliveryAttempts + 1 };
        var label = (await releases.GetByIdAsync(app, alert.ReleaseId, cancellationToken).ConfigureAwait(false))?.Label ?? alert.ReleaseId[..Math.Min(8, alert.ReleaseId.Length)];
        using var budget = new CancellationTokenSource(Budget, time);
        using var posting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var outcome = await PostAsync(claimed, label, posting.Token, cancellationToken).ConfigureAwait(false);
        // While the alert is open a failure is retried by the checks as usual; once no back-off ends before it closes, the
        // delivery gives up again.
        await alerts.RecordDeliveryAsync(alertId, outcome, NextAttempt(claimed, outcome, now), cancellationToken).ConfigureAwait(false);
        return new AlertDeliveryResult(alertId, claimed.DeliveryAttempts, outcome);
    }

    /// <summary>
    /// <see cref="ResendAsync"/> as <c>glidepath monitor --resend</c> and the admin API answer it: the report of a post that
    /// was sent (<see cref="MonitorReports.Resent"/>); one that failed, recorded on the alert, is an
    /// <see cref="OperationalException"/> (exit 3, 503 in the admin API).
    /// </summary>
    /// <exception cref="PolicyException">As <see cref="ResendAsync"/>: no such alert on this environment, sent already, or held by another monitor.</exception>
    public async Task<object> ResendReportAsync(string app, string environment, string alertId, CancellationToken cancellationToken)
    {
        var result = await ResendAsync(app, environment, alertId, cancellationToken).ConfigureAwait(false);
        if (!result.Sent)
        {
            throw new OperationalException(string.Create(CultureInfo.InvariantCulture,
                $"drift alert {alertId}: the webhook post (attempt {result.Attempt}) {result.Outcome}; recorded on the alert (glidepath monitor --env {environment} shows it); run --resend again once the receiver answers"));
        }

        var alert = await alerts.GetAlertAsync(app, alertId, cancellationToken).ConfigureAwait(false);
        return MonitorReports.Resent(result, alert, time.GetUtcNow());
    }

    /// <summary>
    /// When a check may try again after <paramref name="claimed"/>'s attempt at <paramref name="now"/> ended in
    /// <paramref name="outcome"/>: null when it was sent, or when the back-off would end after the alert closes — that
    /// attempt was the last, and the delivery gave up (<see cref="DriftAlert.DeliveryGaveUp"/>).
    /// </summary>
    private static DateTimeOffset? NextAttempt(DriftAlert claimed, string outcome, DateTimeOffset now)
    {
        var next = now + Backoff(claimed.DeliveryAttempts);
        return outcome == Sent || next >= claimed.OpenUntil ? null : next;
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/>: 1 minute, doubling, at most <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        var minutes = Math.Pow(2, Math.Clamp(attempt - 1, 0, 10));
        return TimeSpan.FromMinutes(Math.Min(minutes, MaxBackoff.TotalMinutes));
    }

    private async Task<string> PostAsync(DriftAlert alert, string label, CancellationToken posting, CancellationToken cancellationToken)
    {
        try
        {
            return await notifier.NotifyAsync(alert, label, posting).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return string.Create(CultureInfo.InvariantCulture, $"failed: no answer within the check's {Budget.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A notifier that throws is a failed delivery like any other: recorded and retried, never a lost alert.
            return $"failed: {ex.GetType().Name}";
        }
    }
}
