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

    /// <summary>
    /// How the webhook delivery stands: <c>none</c> (no webhook where it was raised), <c>pending</c> (not attempted yet),
    /// <c>sent</c>, or <c>failed: reason</c> (the last attempt's; <see cref="AlertDelivery"/> retries it while the alert is open).
    /// </summary>
    public string Notification { get; init; } = "none";

    /// <summary>Delivery attempts started so far.</summary>
    public int DeliveryAttempts { get; init; }

    /// <summary>
    /// When the next delivery may start (a running attempt's lease, or a failed one's back-off), or null: not attempted
    /// yet, sent, or — after an attempt that failed — none wanted (<see cref="DeliveryGaveUp"/>).
    /// </summary>
    public DateTimeOffset? DeliveryDue { get; init; }

    /// <summary>
    /// True when the webhook delivery gave up, as stored: attempted, not sent, and no next attempt wanted (the last
    /// attempt's back-off would have ended after the alert closes). Stored rather than read off a clock, so a check whose
    /// clock stepped back (or lags) never takes it up again; only <c>glidepath monitor --resend</c> posts it.
    /// </summary>
    public bool DeliveryGaveUp => Notification != AlertDelivery.Sent && DeliveryAttempts > 0 && DeliveryDue is null;

    /// <summary>The shortest time an alert stays open, so a short <c>--window</c> checked by cron every few minutes still shows.</summary>
    public static readonly TimeSpan MinimumOpen = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How far after a checking host's clock an alert may have been raised and still be taken at its word: hosts' clocks
    /// differ by seconds; one further ahead was raised by a host whose clock is wrong.
    /// </summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    /// <summary>The recent window this alert was judged on.</summary>
    public TimeSpan Window => Windows.RecentTo - Windows.RecentFrom;

    /// <summary>
    /// Alerts have no resolved state; the monitor raises a drift it keeps seeing once per recent window, so an alert is
    /// open until two of its own recent windows (at least <see cref="MinimumOpen"/>) after it was raised.
    /// </summary>
    public DateTimeOffset OpenUntil => RaisedAt + OpenFor(Window);

    /// <summary>True when the alert was raised more than <see cref="ClockSlack"/> after <paramref name="now"/>: by a host whose clock was ahead.</summary>
    public bool RaisedAheadOf(DateTimeOffset now) => RaisedAt > now + ClockSlack;

    /// <summary>
    /// The earliest time a check posts this alert to the webhook: its own time, less <see cref="ClockSlack"/>. A check
    /// whose clock is behind that (the raising host's clock was ahead, or this one's stepped back) leaves it alone until
    /// then, so a wrong clock pages nobody ahead of its time.
    /// </summary>
    public DateTimeOffset PostableFrom => RaisedAt - ClockSlack;

    /// <summary>
    /// When an alert on the same (environment, release, metric) means a check at <paramref name="now"/> with a
    /// <paramref name="recentWindow"/> does not raise it again: raised after <c>now − recentWindow</c> (once per recent
    /// window) and at or before <c>now + </c><see cref="ClockSlack"/> (one raised further ahead came from a host whose clock
    /// is ahead, and a wrong clock must not silence the metric everywhere).
    /// </summary>
    public static (DateTimeOffset After, DateTimeOffset Until) RaisedSpan(DateTimeOffset now, TimeSpan recentWindow) => (now - recentWindow, now + ClockSlack);

    /// <summary>How long an alert of a <paramref name="window"/> recent window stays open.</summary>
    public static TimeSpan OpenFor(TimeSpan window) => window * 2 > MinimumOpen ? window * 2 : MinimumOpen;
}
