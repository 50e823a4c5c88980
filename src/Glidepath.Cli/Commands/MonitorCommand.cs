using System.CommandLine;
using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Monitoring;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath monitor --env E [--check]</c>: drift alerts of the stable release, and the comparison on demand.</summary>
internal static class MonitorCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var check = new Option<bool>("--check") { Description = "Run the drift comparison now from the store (alerts it raises are stored and posted to GLIDEPATH_ALERT_WEBHOOK)" };
        var drift = DriftCheckOptions.ForMonitor();
        var limit = new Option<int>("--limit") { Description = "How many alerts to list (default 20)", DefaultValueFactory = _ => 20 };
        var resend = new Option<string?>("--resend")
        {
            Description = "Post one stored alert (its id, al-…) again to GLIDEPATH_ALERT_WEBHOOK now: one whose delivery gave up while the receiver was down",
            HelpName = "ALERT_ID",
        };
        var command = new Command("monitor", """
            Watch the stable release after the rollout: compare its recent window (online score and pass
            rate, error rate, latency, cost per call, feedback) with its own traffic in the same clock window
            on earlier days while it was stable, so a daily cycle is not drift, with the canary judge's
            intervals (1 - confidence per check). Not ready until the release has been stable for a day and
            a window. A metric beyond its tolerance (rollout.metrics, or the defaults) raises a stored alert,
            POSTed as JSON to GLIDEPATH_ALERT_WEBHOOK when set. Without --check, lists the stored alerts.
            With --check, exit 1 when a metric has drifted. With --resend ALERT_ID, posts that alert again
            (exit 3 when the post fails, 4 when there is no such alert on the environment).

            Examples:
              glidepath monitor --env production
              glidepath monitor --env production --check --window 30m
              glidepath monitor --env production --check --reference week
              glidepath monitor --env production --resend al-5c1e0f7a2b9d4e61
            """)
        {
            environment,
            check,
            drift.Window,
            drift.Reference,
            limit,
            resend,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            // Read before anything is opened: options that would be ignored, or a count below one, are a mistake to say.
            if (parse.GetValue(resend) is { } resendId)
            {
                if (parse.GetValue(check) || drift.Given(parse) || parse.GetResult(limit) is { Implicit: false })
                {
                    throw new BadInputException("--resend posts one stored alert again and lists or compares nothing: drop --check, --window, --reference and --limit");
                }

                return await ResendAsync(ctx, parse.GetValue(environment)!, resendId, ct);
            }

            if (!parse.GetValue(check) && drift.Given(parse))
            {
                throw new BadInputException("--window and --reference shape the comparison --check runs; add --check (without it the stored alerts are listed)");
            }

            if (parse.GetValue(limit) < 1)
            {
                throw new BadInputException($"--limit {parse.GetValue(limit)}: expected how many alerts to list, at least 1");
            }

            var store = await ctx.StoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
            var app = ctx.Manifest.App;
            var views = new EnvironmentViews(await store.Releases.ListAsync(app, ct));
            MonitorCheck? result = null;
            if (parse.GetValue(check))
            {
                var policy = DriftPolicy.From(ctx.Manifest, drift.ReadWindow(parse), drift.ReadReference(parse));
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                var service = new MonitorService(store, policy, ctx.Time, WebhookNotifier.FromEnvironment(http));
                result = await service.CheckAsync(app, spec.Name, ct);
            }

            var alerts = await store.Monitor.ListAlertsAsync(app, spec.Name, parse.GetValue(limit), ct);
            var now = ctx.Time.GetUtcNow();
            var drifted = result?.Evidence.Any(e => e.Verdict == "harm") == true;
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(MonitorReports.Report(app, spec.Name, result, alerts, views, now));
                return drifted ? ExitCodes.Negative : ExitCodes.Ok;
            }

            if (result is not null)
            {
                WriteCheck(ctx, views, result);
            }

            if (alerts.Count == 0)
            {
                ctx.Output.Line($"No drift alerts on {spec.Name}.");
            }
            else
            {
                ctx.Output.Table(
                    ["raised (UTC)", "release", "metric", "recent vs reference", "tolerance", "webhook"],
                    alerts.Select(a => (IReadOnlyList<string>)
                        [TableText.Time(a.RaisedAt) + (a.RaisedAheadOf(now) ? " (clock ahead)" : ""), views.Label(a.ReleaseId), a.Metric,
                            a.Evidence.IntervalText(), a.Evidence.ToleranceText, AlertDeliveryStatus.View(a, now).Text()]),
                    title: $"{app} / {spec.Name}: drift alerts (newest first)");
                foreach (var a in alerts.Where(a => AlertDeliveryStatus.State(a, now) == "gave_up"))
                {
                    ctx.Output.Line($"{a.Id}: the webhook was not sent while the alert was open, and no check posts it again; resend it with: glidepath monitor --env {spec.Name} --resend {a.Id}");
                }

                if (alerts.Any(a => a.RaisedAheadOf(now)))
                {
                    ctx.Output.Line($"(clock ahead): raised after this host's time {TableText.Time(now)} UTC by more than {DriftAlert.ClockSlack.TotalMinutes:0} minutes, by a host whose clock was ahead; such an alert does not stop a check here from raising its metric again. Check that host's clock.");
                }
            }

            return drifted ? ExitCodes.Negative : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>--resend ALERT_ID</c>: posts the alert again (<see cref="AlertDelivery.ResendAsync"/>). Exit 0 when sent, 3 when
    /// the post failed (recorded on the alert), 4 for no such alert; no webhook configured is a usage error.
    /// </summary>
    private static async Task<int> ResendAsync(CliContext ctx, string environmentName, string alertId, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var notifier = WebhookNotifier.FromEnvironment(http)
            ?? throw new BadInputException($"--resend posts to the webhook in {WebhookNotifier.EnvironmentVariable}, which is not set; set it to the receiver's http(s) URL");
        var store = await ctx.StoreAsync(ct);
        var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(environmentName);
        var result = await new AlertDelivery(store.Monitor, store.Releases, notifier, ctx.Time).ResendAsync(ctx.Manifest.App, spec.Name, alertId, ct);
        if (!result.Sent)
        {
            throw new OperationalException(string.Create(CultureInfo.InvariantCulture,
                $"drift alert {alertId}: the webhook post (attempt {result.Attempt}) {result.Outcome}; recorded on the alert (glidepath monitor --env {spec.Name} shows it); run --resend again once the receiver answers"));
        }

        var alert = await store.Monitor.GetAlertAsync(ctx.Manifest.App, alertId, ct);
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(new { alert = alertId, attempt = result.Attempt, outcome = result.Outcome, delivery = alert is null ? null : AlertDeliveryStatus.View(alert, ctx.Time.GetUtcNow()) });
        }
        else
        {
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"Resent {alertId} to the webhook (attempt {result.Attempt}): {result.Outcome}"));
        }

        return ExitCodes.Ok;
    }

    /// <summary>"2026-11-20", or "2026-11-14 … 2026-11-20": the days the matched windows start on.</summary>
    private static string Days(DriftWindows w)
    {
        var oldest = w.ReferenceFrom.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var newest = w.RecentFrom.Add(-w.Period).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return oldest == newest ? oldest : $"{oldest} … {newest}";
    }

    private static void WriteCheck(CliContext ctx, EnvironmentViews views, MonitorCheck result)
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
                [e.Metric, string.Create(inv, $"{e.CanaryN} / {e.StableN}"), e.IntervalText(), e.ToleranceText, e.Verdict == "harm" ? "DRIFT" : e.Verdict]));
        foreach (var e in result.Evidence.Where(e => e.Reason is not null))
        {
            ctx.Output.Line($"{e.Metric} not judged: {e.Reason}.");
        }

        // Advice for low traffic, not for none: an empty recent window is no_traffic's case.
        if (result.RecentRequests > 0 && result.Evidence.Any(e => e.Reason is not null && e.Metric != TrafficStop.Metric && e.Reason.Contains("recent", StringComparison.Ordinal)))
        {
            ctx.Output.Line("A longer window holds more of the recent traffic: --window here, --monitor-window for the check serve and controller run.");
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

        foreach (var d in result.Delivered.Where(d => result.Raised.All(a => a.Id != d.AlertId)))
        {
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"Webhook retry of {d.AlertId} (attempt {d.Attempt}): {d.Outcome}"));
        }

        foreach (var a in result.RaisedAhead)
        {
            ctx.Output.Line($"Note: {a.Metric} alert {a.Id} is dated {TableText.Time(a.RaisedAt)} UTC, after this host's time: a host whose clock was ahead raised it, so it did not stop this check raising {a.Metric}.");
        }
    }
}
