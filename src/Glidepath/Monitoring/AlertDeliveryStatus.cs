using System.Globalization;

namespace Glidepath.Monitoring;

/// <summary>How a stored alert's webhook delivery stands at a given time, as <c>glidepath monitor</c> shows it (text and JSON).</summary>
public static class AlertDeliveryStatus
{
    /// <summary>
    /// <c>sent</c>; <c>none</c> (no webhook where it was raised and no check with one has posted it); <c>pending</c> (not
    /// attempted yet, the next check with a webhook posts it); <c>retrying</c> (failed, tried again while the alert is
    /// open); <c>gave_up</c> (not sent, and the alert closed: no more attempts).
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

        return now >= alert.OpenUntil ? "gave_up" : alert.DeliveryAttempts == 0 ? "pending" : "retrying";
    }

    /// <summary>One cell: "sent", "failed: HTTP 500 (attempt 2; next after 10:04 UTC, retried until 12:00 UTC)", "failed: HTTP 500 (gave up after 3 attempts at 12:00 UTC)".</summary>
    public static string Text(DriftAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var inv = CultureInfo.InvariantCulture;
        var until = alert.OpenUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv) + " UTC";
        return State(alert, now) switch
        {
            "sent" => alert.DeliveryAttempts > 1 ? string.Create(inv, $"sent (attempt {alert.DeliveryAttempts})") : "sent",
            "none" => "none",
            "pending" => $"pending (the next check with a webhook posts it, until {until})",
            "retrying" => string.Create(inv,
                $"{alert.Notification} (attempt {alert.DeliveryAttempts}; retried by a check after {(alert.DeliveryDue ?? now).UtcDateTime:yyyy-MM-dd HH:mm} UTC, until {until})"),
            _ => alert.DeliveryAttempts == 0
                ? $"not sent (gave up at {until}: no check with a webhook ran while it was open)"
                : string.Create(inv, $"{alert.Notification} (gave up at {until} after {alert.DeliveryAttempts} attempt(s))"),
        };
    }

    /// <summary>The <c>delivery</c> object of an alert in <c>glidepath monitor --format json</c>.</summary>
    public static object Json(DriftAlert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var state = State(alert, now);
        return new
        {
            state,
            attempts = alert.DeliveryAttempts,
            last = alert.Notification,
            next_attempt_after = state is "retrying" or "pending" ? alert.DeliveryDue : null,
            retried_until = alert.OpenUntil,
        };
    }
}
