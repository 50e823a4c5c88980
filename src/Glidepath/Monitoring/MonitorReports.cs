using Glidepath.Environments;

namespace Glidepath.Monitoring;

/// <summary>The JSON answer of <c>monitor</c> (stored drift alerts, and a check's evidence when one ran), shared by the CLI and the admin API.</summary>
public static class MonitorReports
{
    /// <summary><c>{app, environment, check, alerts}</c>; <paramref name="result"/> is null when no check ran.</summary>
    public static object Report(string app, string environment, MonitorCheck? result, IReadOnlyList<DriftAlert> alerts, EnvironmentViews views)
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
                raised = result.Raised.Select(a => a.Id),
            },
            alerts = alerts.Select(a => AlertPayload.Build(a, views.Label(a.ReleaseId))),
        };
    }
}
