using System.Globalization;
using Glidepath.Cli.Remote.Answers;
using Glidepath.Environments;
using Glidepath.Monitoring;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath monitor</c>'s text: a check's comparison, and the stored alerts printed from the JSON view, so a run through the admin API prints the same.</summary>
internal static class MonitorOutput
{
    /// <summary>The alert table and the lines under it (alerts that gave up, alerts from a clock ahead), from <c>monitor</c>'s JSON view alone.</summary>
    public static void WriteAlerts(CliContext ctx, MonitorAnswer answer)
    {
        if (answer.Alerts.Count == 0)
        {
            ctx.Output.Line($"No drift alerts on {answer.Environment}.");
            return;
        }

        ctx.Output.Table(
            ["raised (UTC)", "release", "metric", "recent vs reference", "tolerance", "webhook"],
            answer.Alerts.Select(a => (IReadOnlyList<string>)
                [TableText.Time(a.RaisedAt) + (a.RaisedAheadOfClock ? " (clock ahead)" : ""), a.Release.Label, a.Metric,
                    a.Evidence.WindowIntervalText(), a.Evidence.ToleranceText, a.Delivery.Text()]),
            title: $"{answer.App} / {answer.Environment}: drift alerts (newest first)");
        foreach (var a in answer.Alerts.Where(a => a.Delivery.State == "gave_up"))
        {
            ctx.Output.Line($"{a.Id}: the webhook was not sent, and no check posts it again; resend it with: glidepath monitor --env {answer.Environment} --resend {a.Id}");
        }

        // Not the listing host's time itself: through the admin API that is the server's, which the JSON view does not carry.
        if (answer.Alerts.Any(a => a.RaisedAheadOfClock))
        {
            ctx.Output.Line($"(clock ahead): raised more than {DriftAlert.ClockSlack.TotalMinutes:0} minutes later than the clock of the host that listed it, by a host whose clock was ahead; such an alert does not stop a check from raising its metric again, and no check posts it to the webhook before its time (less {DriftAlert.ClockSlack.TotalMinutes:0} minutes) by the check's own clock. Check that host's clock.");
        }
    }

    /// <summary>"2026-11-20", or "2026-11-14 … 2026-11-20": the days the matched windows start on.</summary>
    private static string Days(DriftWindows w)
    {
        var oldest = w.ReferenceFrom.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var newest = w.RecentFrom.Add(-w.Period).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return oldest == newest ? oldest : $"{oldest} … {newest}";
    }

    /// <summary>A check's comparison, what it raised and the retries it made: printed only where the check ran (on the store).</summary>
    public static void WriteCheck(CliContext ctx, EnvironmentViews views, MonitorCheck result)
    {
        if (result.Skipped is not null)
        {
            ctx.Output.Line($"Nothing compared: {result.Skipped}.");
            return;
        }

        var w = result.Windows!.Value;
        var inv = CultureInfo.InvariantCulture;
        ctx.Output.Line(string.Create(inv,
            $"{views.Label(result.ReleaseId)} on {result.Environment}: recent {TableText.Time(w.RecentFrom)}–{TableText.Time(w.RecentTo)} ({result.RecentRequests} requests) vs {w.ReferenceText()} ({Days(w)}, {result.ReferenceRequests} requests)"));
        ctx.Output.Table(
            ["metric", "n recent / reference", "recent vs reference", "tolerance", "verdict"],
            result.Evidence.Select(e => (IReadOnlyList<string>)
                [e.Metric, string.Create(inv, $"{e.CanaryN} / {e.StableN}"), e.WindowIntervalText(), e.ToleranceText, e.Verdict == "harm" ? "DRIFT" : e.Verdict]));
        foreach (var e in result.Evidence.Where(e => e.Reason is not null))
        {
            ctx.Output.Line($"{e.Metric} not judged: {e.Reason}.");
        }

        if (result.OneArm is { } oneArm)
        {
            ctx.Output.Line($"{oneArm}.");
        }

        // Advice for low traffic, not for none: an empty recent window is no_traffic's case; and only where the recent
        // side had too few observations, which a longer window helps (not too few subjects: SubjectShortfall's case).
        if (result.RecentRequests > 0 && result.Evidence.Any(e => e.Reason is not null && e.Metric != TrafficStop.Metric
            && e.CanaryN < Glidepath.Rollouts.JudgePolicy.MinObservations && e.Reason.Contains("recent", StringComparison.Ordinal)))
        {
            ctx.Output.Line("A longer window holds more of the recent traffic: --window here, --monitor-window for the check serve and controller run.");
        }

        if (result.SubjectShortfall is { } subjects)
        {
            ctx.Output.Line($"Not judged for subjects: {subjects}.");
        }

        if (result.TrafficStopReference is { } stop)
        {
            var since = w.RecentFrom - (w.Period * stop.PassedOver);
            var before = stop.Windows.Count == 0
                ? "none is left from while the release was stable"
                : $"it is judged against the {stop.Windows.Count} before it ({TableText.Time(stop.Windows[^1].From)} … {TableText.Time(stop.Windows[0].From)})";
            ctx.Output.Line($"no_traffic: the release had no request from {TableText.Time(since)} on, so the newest {stop.PassedOver} matched window(s) lie inside the stop; {before}.");
        }

        foreach (var a in result.Raised)
        {
            ctx.Output.Line($"ALERT {a.Id}: {a.Message} (webhook: {a.Notification})");
        }

        foreach (var a in result.AlreadyAlerted)
        {
            ctx.Output.Line($"{a.Metric}: already alerted as {a.Id} at {TableText.Time(a.RaisedAt)} UTC, within this window: not raised again ('glidepath monitor' lists it)");
        }

        foreach (var d in result.Delivered.Where(d => result.Raised.All(a => a.Id != d.AlertId)))
        {
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"Webhook retry of {d.AlertId} (attempt {d.Attempt}): {d.Outcome}"));
        }

        foreach (var a in result.RaisedAhead)
        {
            ctx.Output.Line($"Note: {a.Metric} alert {a.Id} is dated {TableText.Time(a.RaisedAt)} UTC, after this host's time: a host whose clock was ahead raised it, so it did not stop this check raising {a.Metric}, and no check posts it to the webhook before its time.");
        }
    }
}
