using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Environments;

namespace Glidepath.Monitoring;

/// <summary>The JSON answer of <c>monitor</c> (stored drift alerts, and a check's evidence when one ran), shared by the CLI and the admin API.</summary>
public static class MonitorReports
{
    /// <summary>
    /// <c>{app, environment, check, alerts}</c>; <paramref name="result"/> is null when no check ran. Each alert is its
    /// webhook body plus how its delivery stands at <paramref name="now"/> and whether a host whose clock was ahead raised it.
    /// </summary>
    public static object Report(string app, string environment, MonitorCheck? result, IReadOnlyList<DriftAlert> alerts, EnvironmentViews views, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(views);
        var drifted = result?.Evidence.Any(e => e.Verdict == "harm") == true;
        return new
        {
            app,
            environment,
            check = result is null ? null : new
            {
                release = views.Ref(result.ReleaseId),
                skipped = result.Skipped,
                ready_at = result.ReadyAt,
                reference_window = result.Windows is { } w
                    ? new
                    {
                        from = w.ReferenceFrom,
                        to = w.ReferenceTo,
                        requests = result.ReferenceRequests,
                        period_days = (int)w.Period.TotalDays,
                        windows = w.ReferenceWindows.Select(x => new { from = x.From, to = x.To }),
                    }
                    : null,
                recent_window = result.Windows is { } w2 ? new { from = w2.RecentFrom, to = w2.RecentTo, requests = result.RecentRequests } : null,
                no_traffic_reference = result.TrafficStopReference is { } stop
                    ? new
                    {
                        passed_over = stop.PassedOver,
                        windows = stop.Windows.Select(x => new { from = x.From, to = x.To }),
                    }
                    : null,
                drifted,
                metrics = result.Evidence,
                one_arm = result.OneArm,
                subject_shortfall = result.SubjectShortfall,
                raised = result.Raised.Select(a => a.Id),
                deliveries = result.Delivered.Select(d => new { alert = d.AlertId, attempt = d.Attempt, outcome = d.Outcome }),
                raised_ahead = result.RaisedAhead.Select(a => a.Id),
                already_alerted = result.AlreadyAlerted.Select(a => new { metric = a.Metric, alert = a.Id, raised_at = a.RaisedAt }),
            },
            alerts = alerts.Select(a => Listed(a, views, now)),
        };
    }

    /// <summary>
    /// The answer to a resend that was sent (<c>monitor --resend --format json</c>, the admin API's resend):
    /// <c>{alert, attempt, outcome, delivery}</c>, <paramref name="alert"/> read again after the attempt was recorded.
    /// </summary>
    public static object Resent(AlertDeliveryResult result, DriftAlert? alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new { alert = result.AlertId, attempt = result.Attempt, outcome = result.Outcome, delivery = alert is null ? null : AlertDeliveryStatus.View(alert, now) };
    }

    private static JsonObject Listed(DriftAlert alert, EnvironmentViews views, DateTimeOffset now)
    {
        var body = AlertPayload.Build(alert, views.Label(alert.ReleaseId));
        body["delivery"] = JsonSerializer.SerializeToNode(AlertDeliveryStatus.View(alert, now), Views.ViewJson.Options);
        body["raised_ahead_of_clock"] = alert.RaisedAheadOf(now);
        return body;
    }
}
