namespace Glidepath.Monitoring;

/// <summary>How a stored alert's webhook delivery stands at a given time, as <c>glidepath monitor</c> shows it (text and JSON: <see cref="AlertDeliveryView"/>).</summary>
public static class AlertDeliveryStatus
{
    /// <summary>
    /// <c>sent</c>; <c>none</c> (no webhook where it was raised and no check with one has posted it); <c>pending</c> (not
    /// attempted yet, the next check with a webhook posts it); <c>retrying</c> (failed, tried again while the alert is
    /// open); <c>gave_up</c> (not sent, and no more attempts: the last one's back-off would have ended after the alert
    /// closes, as stored, or the alert closed).
    /// </summary>
    public static string State(DriftAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Notification == AlertDelivery.Sent)
        {
            return "sent";
        }

        if (alert.Notification == AlertDelivery.NotConfigured && alert.DeliveryAttempts == 0)
        {
            return "none";
        }

        return alert.DeliveryGaveUp || now >= alert.OpenUntil ? "gave_up" : alert.DeliveryAttempts == 0 ? "pending" : "retrying";
    }

    /// <summary>The <c>delivery</c> of an alert in <c>glidepath monitor --format json</c> and the admin API, from which its text is written too.</summary>
    public static AlertDeliveryView View(DriftAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var state = State(alert, now);
        return new AlertDeliveryView(state, alert.DeliveryAttempts, alert.Notification, state is "retrying" or "pending" ? NextAttemptAfter(alert, now) : null, alert.OpenUntil);
    }

    /// <summary>The stored due time, or for an alert dated after <paramref name="now"/> the later of it and the alert's own time (<see cref="DriftAlert.PostableFrom"/>).</summary>
    private static DateTimeOffset? NextAttemptAfter(DriftAlert alert, DateTimeOffset now) =>
        now >= alert.PostableFrom ? alert.DeliveryDue
        : alert.DeliveryDue is { } due && due > alert.PostableFrom ? due
        : alert.PostableFrom;
}
