using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Glidepath.Cli.Remote.Answers;
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
            With --server (the admin API), lists and resends without the store: the gateway posts a resent
            alert to its own GLIDEPATH_ALERT_WEBHOOK (exit 4 when it has none); --check needs the store (the
            gateway serving the environment runs the check itself).

            Examples:
              glidepath monitor --env production
              glidepath monitor --env production --check --window 30m
              glidepath monitor --env production --check --reference week
              glidepath monitor --env production --resend al-5c1e0f7a2b9d4e61
              glidepath monitor --env production --server https://glidepath.internal:4001 --resend al-5c1e0f7a2b9d4e61
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

            if (ctx.Remote is { } remote)
            {
                if (parse.GetValue(check))
                {
                    var name = parse.GetValue(environment)!;
                    throw new BadInputException($"--check compares traces in the store, which --server does not reach: the gateway serving {name} ('glidepath serve --env {name}', or 'glidepath controller --env {name}') runs the same check itself as it starts and every 5 minutes, posting to its own {WebhookNotifier.EnvironmentVariable}; list what it raised with: glidepath monitor --env {name} --server {remote.Shown}, or run --check where the store is");
                }

                var answer = await remote.GetAsync(string.Create(CultureInfo.InvariantCulture, $"environments/{Remote.RemoteJson.Env(parse.GetValue(environment)!)}/alerts?limit={parse.GetValue(limit)}"), ct);
                if (ctx.Output.IsJson)
                {
                    ctx.Output.RawJson(answer);
                }
                else
                {
                    MonitorOutput.WriteAlerts(ctx, Remote.RemoteJson.Read<MonitorAnswer>(answer));
                }

                return ExitCodes.Ok;
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
            var report = MonitorReports.Report(app, spec.Name, result, alerts, views, ctx.Time.GetUtcNow());
            var drifted = result?.Evidence.Any(e => e.Verdict == "harm") == true;
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(report);
                return drifted ? ExitCodes.Negative : ExitCodes.Ok;
            }

            if (result is not null)
            {
                MonitorOutput.WriteCheck(ctx, views, result);
            }

            // The alerts are printed from the JSON view, so a client of the admin API prints exactly this too.
            MonitorOutput.WriteAlerts(ctx, Remote.RemoteJson.Read<MonitorAnswer>(JsonSerializer.Serialize(report, CliOutput.JsonOptions)));
            return drifted ? ExitCodes.Negative : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>--resend ALERT_ID</c>: posts the alert again (<see cref="AlertDelivery.ResendReportAsync"/>). Exit 0 when sent, 3 when
    /// the post failed (recorded on the alert), 4 for no such alert; no webhook configured is a usage error. With
    /// <c>--server</c> the gateway posts it, with its own GLIDEPATH_ALERT_WEBHOOK (none there: exit 4).
    /// </summary>
    private static async Task<int> ResendAsync(CliContext ctx, string environmentName, string alertId, CancellationToken ct)
    {
        string json;
        if (ctx.Remote is { } remote)
        {
            json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(environmentName)}/alerts/{Uri.EscapeDataString(alertId)}/resend", new { }, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.RawJson(json);
                return ExitCodes.Ok;
            }
        }
        else
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var notifier = WebhookNotifier.FromEnvironment(http)
                ?? throw new BadInputException($"--resend posts to the webhook in {WebhookNotifier.EnvironmentVariable}, which is not set; set it to the receiver's http(s) URL");
            var store = await ctx.StoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(environmentName);
            var report = await new AlertDelivery(store.Monitor, store.Releases, notifier, ctx.Time).ResendReportAsync(ctx.Manifest.App, spec.Name, alertId, ct);
            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(report);
                return ExitCodes.Ok;
            }

            json = JsonSerializer.Serialize(report, CliOutput.JsonOptions);
        }

        // Printed from the JSON view, here and through the admin API alike.
        var answer = Remote.RemoteJson.Read<ResendAnswer>(json);
        ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"Resent {answer.Alert} to the webhook (attempt {answer.Attempt}): {answer.Outcome}"));
        return ExitCodes.Ok;
    }
}
