using System.Globalization;

namespace Glidepath.Monitoring;

/// <summary>
/// The <c>delivery</c> of a listed alert (<c>glidepath monitor --format json</c>, the admin API's alerts): how its webhook
/// delivery stands. The table's webhook column is written from these fields alone (<see cref="Text"/>), so a client of
/// the admin API prints what a run on the store prints.
/// </summary>
/// <param name="State"><c>sent</c>, <c>none</c>, <c>pending</c>, <c>retrying</c> or <c>gave_up</c> (<see cref="AlertDeliveryStatus.State"/>).</param>
/// <param name="Attempts">Delivery attempts started so far.</param>
/// <param name="Last">The stored outcome: <c>sent</c>, <c>none</c>, <c>pending</c> or <c>failed: reason</c>.</param>
/// <param name="NextAttemptAfter">
/// When a check may try again (pending or retrying only): a back-off's end, or for an alert dated after the clock of the
/// host that listed it, its own time (less the clock slack), before which no check posts it.
/// </param>
/// <param name="RetriedUntil">When the alert closes: no check posts it after that.</param>
public sealed record AlertDeliveryView(string State, int Attempts, string Last, DateTimeOffset? NextAttemptAfter, DateTimeOffset RetriedUntil)
{
    /// <summary>One cell: "sent", "failed: HTTP 500 (attempt 2; retried by a check after … UTC, until … UTC)", "failed: HTTP 500 (gave up after 3 attempt(s); alert open until … UTC)".</summary>
    public string Text()
    {
        var inv = CultureInfo.InvariantCulture;
        var until = RetriedUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm", inv) + " UTC";
        return State switch
        {
            "sent" => Attempts > 1 ? string.Create(inv, $"sent (attempt {Attempts})") : "sent",
            "none" => "none",
            "pending" => NextAttemptAfter is { } from
                ? string.Create(inv, $"pending (posted by a check with a webhook from {from.UtcDateTime:yyyy-MM-dd HH:mm} UTC, until {until})")
                : $"pending (the next check with a webhook posts it, until {until})",

            // No due time left: the next check may post it.
            "retrying" => NextAttemptAfter is { } due
                ? string.Create(inv, $"{Last} (attempt {Attempts}; retried by a check after {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC, until {until})")
                : string.Create(inv, $"{Last} (attempt {Attempts}; retried by the next check, until {until})"),
            // Not "gave up at" the close: the last attempt gives up as soon as its back-off would end after the close.
            _ => Attempts == 0
                ? $"not sent (gave up at {until}: no check with a webhook ran while it was open)"
                : string.Create(inv, $"{Last} (gave up after {Attempts} attempt(s); alert open until {until})"),
        };
    }
}
