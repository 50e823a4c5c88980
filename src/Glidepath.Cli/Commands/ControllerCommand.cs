using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Gateway.Hosting;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Serving;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Cli.Commands;

/// <summary>
/// <c>glidepath controller --env E</c>: the rollout controller and the drift check of one environment as a process of their
/// own, for apps that serve traffic in-process with the SDK and run no gateway. The same hosted services a gateway runs.
/// </summary>
internal static class ControllerCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var interval = new Option<string>("--interval")
        {
            Description = "How often the rollout controller judges the environment's active rollout (e.g. 5s, at least 50ms)",
            DefaultValueFactory = _ => "5s",
        };
        var monitorInterval = new Option<string>("--monitor-interval")
        {
            Description = "How often the drift check of the stable release runs (e.g. 5m); 0 turns it off",
            DefaultValueFactory = _ => "5m",
        };
        var drift = DriftCheckOptions.ForBuiltInCheck();
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Log lines (on stderr) as text or json (one JSON object per line)",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var command = new Command("controller", """
            Run the rollout controller and the drift check of one environment, without serving traffic: for
            apps that call their model in-process with the Glidepath SDK (Glidepath.Extensions.AI) and have no
            gateway. Every --interval it judges the active rollout from the traces in the store (SDK and gateway
            traffic alike), widens the canary step by step, promotes, or rolls back on harm; as it starts and
            every --monitor-interval after, it checks the stable release for drift (alerts stored and POSTed to
            GLIDEPATH_ALERT_WEBHOOK when set), comparing the last --monitor-window (default 1h) with the same
            clock window on earlier days (--monitor-reference day) or weeks (week), as 'glidepath monitor --check'
            does with --window and --reference. Several controllers and gateways may run at once: a lease in
            the store lets one act at a time, and another takes over when it stops.
            Ctrl-C or SIGTERM stops it cleanly (it gives up its lease). Exit 0 when stopped, 2 on bad input,
            3 when the store cannot be opened.

            Examples:
              glidepath controller --env production
              glidepath controller --env staging --interval 1s --monitor-interval 0
              glidepath controller --env production --monitor-window 6h --monitor-reference week
            """)
        {
            environment,
            interval,
            monitorInterval,
            drift.Window,
            drift.Reference,
            logFormat,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var every = Duration(parse.GetValue(interval)!, "--interval", TimeSpan.FromMilliseconds(50));
            var monitorRaw = parse.GetValue(monitorInterval)!;
            var monitorEvery = monitorRaw == "0" ? TimeSpan.Zero : Duration(monitorRaw, "--monitor-interval", TimeSpan.FromSeconds(1));
            var (monitorWindow, monitorReference) = (drift.ReadWindow(parse), drift.ReadReference(parse));
            var manifest = ctx.Manifest;
            var spec = manifest.FindEnvironment(parse.GetValue(environment)!)
                ?? throw new BadInputException($"unknown environment '{parse.GetValue(environment)}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
            var store = await ctx.ExistingStoreAsync(ct);

            // Serving options need a model factory; the controller never calls a model, so nothing is ever built with it.
            using var models = new ModelClientFactory(ctx.Time, PriceTable.For(manifest));
            var holder = $"controller:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
            var serving = ServingOptions.For(store, manifest, spec.Name, models) with
            {
                RolloutController = new RolloutControllerOptions { Holder = holder, Interval = every, App = manifest.App, Environment = spec.Name },
                MonitorInterval = monitorEvery,
                MonitorWindow = monitorWindow,
                MonitorReference = monitorReference,
                Time = ctx.Time,
                Host = ServingHost.Controller,
            };
            var services = new ServiceCollection()
                .AddLogging(b =>
                {
                    if (parse.GetValue(logFormat) == "json")
                    {
                        b.AddJsonConsole(o => o.IncludeScopes = false);
                    }
                    else
                    {
                        b.AddSimpleConsole(o => o.SingleLine = true);
                    }

                    b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                    b.AddConsoleTimestamps();
                    b.SetMinimumLevel(LogLevel.Information);
                })
                .AddGlidepathController(serving);
            await using var provider = services.BuildServiceProvider();
            var hosted = provider.GetServices<IHostedService>().ToList();
            foreach (var service in hosted)
            {
                await service.StartAsync(ct);
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new { app = manifest.App, environment = spec.Name, store = store.Location, holder, interval_ms = every.TotalMilliseconds, monitor_interval_ms = monitorEvery.TotalMilliseconds, monitor_window_minutes = monitorWindow.TotalMinutes, monitor_reference = monitorReference == Monitoring.DriftReference.Week ? "week" : "day" });
            }

            // Started is not controlling: another process may hold the lease. The controller says "Controlling …" when it
            // takes the lease and "On standby …" (naming the holder) when another holds it.
            ctx.Output.Note($"Rollout controller of {manifest.App}@{spec.Name} started, judging every {parse.GetValue(interval)} while it holds the environment's lease (store {store.Location}, drift check {(monitorEvery > TimeSpan.Zero ? $"at start and every {monitorRaw}, window {DriftCheckOptions.Describe(monitorWindow, monitorReference)}" : "off")}); Ctrl-C stops.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }

            ctx.Output.Note("Stopping: finishing the current pass and giving up the lease.");
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            for (var i = hosted.Count - 1; i >= 0; i--)
            {
                await hosted[i].StopAsync(stopping.Token);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static TimeSpan Duration(string text, string option, TimeSpan minimum) =>
        Manifests.DurationParser.TryParse(text, out var value) && value >= minimum
            ? value
            : throw new BadInputException($"{option} '{text}' is not a duration of at least {minimum.TotalMilliseconds} ms; expected e.g. 5s");
}
