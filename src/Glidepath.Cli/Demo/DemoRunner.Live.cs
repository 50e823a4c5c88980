using System.Globalization;
using Glidepath.Gateway;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Serving;
using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Cli.Demo;

/// <summary>Steps 3-6: live traffic through real gateways, a drill, two canary rollouts and the checklist.</summary>
internal sealed partial class DemoRunner
{
    private readonly Dictionary<string, GatewayServer> _gateways = new(StringComparer.Ordinal);
    private TrafficDriver? _traffic;
    private IGlidepathStore? _store;
    private readonly List<ModelClientFactory> _models = [];

    private int RolloutMinRequests => _fast ? 150 : 200;

    private async Task StepTrafficAndDrillAsync(CancellationToken cancellationToken)
    {
        _say.Step(3, "Serve traffic through the gateway, and test the way back before you need it");
        _store = await _ctx.Env.Stores.OpenAsync(_ws.StorePath, create: true, _ctx.Time, cancellationToken);
        var manifest = ManifestParser.Load(Path.Combine(_ws.Path, ManifestParser.FileName));
        foreach (var env in new[] { "staging", "production" })
        {
            _gateways[env] = await StartGatewayAsync(manifest, env, cancellationToken);
        }

        _say.Say($"Two gateways run in this process, as 'glidepath serve --env staging|production' would: staging on {_gateways["staging"].Urls[0]}, production on {_gateways["production"].Urls[0]}.");
        _say.Say("Apps point their OpenAI or Anthropic SDK at a gateway and send \"model\": \"support-agent\". Synthetic customers ask the dataset's questions:");
        _traffic = new TrafficDriver(Path.Combine(_ws.Path, "evals", "support.jsonl"));
        await _traffic.SendAsync(_gateways["staging"].Urls[0], 80, 8, "staging-customer", cancellationToken);
        await _traffic.SendAsync(_gateways["production"].Urls[0], 200, 8, "customer", cancellationToken);
        _say.Result(_traffic.Errors == 0, $"{_traffic.Sent} requests served by v1, {_traffic.Errors} errors; every one is a trace with release, arm, latency, tokens and cost.");

        _say.Say("The rollback drill: put a candidate on staging, roll back, and measure until every probe is served by the previous release.");
        Outcome.DrillExit = await GlidepathAsync(cancellationToken, "drill", "--env", "staging", "--gateway", _gateways["staging"].Urls[0], "--candidate", "v3");
        _say.Result(Outcome.DrillExit == 0, Outcome.DrillExit == 0 ? "Drill passed and is recorded in staging's history: the way back is tested." : $"Drill exited {Outcome.DrillExit}.");
    }

    private async Task StepRolloutAsync(CancellationToken cancellationToken)
    {
        _say.Step(4, "Roll v3 out on production as a canary, judged on live signals");
        _say.Say("First v3 serves staging (production requires it), then a canary on production widens step by step.");
        await ExpectAsync(0, cancellationToken, "deploy", "v3", "--env", "staging", "--reason", "gate passed");
        await _traffic!.SendAsync(_gateways["staging"].Urls[0], 100, 8, "staging-customer", cancellationToken);
        await ExpectAsync(0, cancellationToken, "rollout", "start", "v3", "--env", "production", "--steps", "25,50", "--min-requests",
            RolloutMinRequests.ToString(CultureInfo.InvariantCulture), "--max-duration", "5m");
        var ended = await DriveRolloutAsync(cancellationToken);
        Outcome.RolloutV3State = ended?.State;
        var state = await _store!.Environments.GetAsync("support-agent", "production", cancellationToken);
        var stable = state.StableReleaseId is { } id ? await _store.Releases.GetByIdAsync("support-agent", id, cancellationToken) : null;
        Outcome.ProductionStableAfterRollout = stable?.Name;
        _say.Result(Outcome.RolloutV3State == RolloutState.Promoted, $"Rollout {Outcome.RolloutV3State}: production's stable release is now {stable?.Name ?? "-"}.");
    }

    private async Task StepCanaryCatchesRegressionAsync(CancellationToken cancellationToken)
    {
        _say.Step(5, "A subtle regression only live traffic shows: the canary catches it and rolls back by itself");
        _say.Say("v4 hedges on a share of answers ('I'm not sure…'): no errors, normal latency — a quality drop the offline set");
        _say.Say("might not cover. (The simulated model's off_policy_rate fault stands in for it.) The team ships it anyway, forced and recorded:");
        _ws.Edit("glidepath.yaml", "    options: { latency_scale:", "    options: { faults: { off_policy_rate: 0.3 }, latency_scale:");
        await _ws.CommitAsync("new model settings", cancellationToken);
        await ExpectAsync(0, cancellationToken, "release", "create", "-m", "new model settings");
        await ExpectAsync(0, cancellationToken, "deploy", "v4", "--env", "staging", "--reason", "try the new settings");
        await ExpectAsync(0, cancellationToken, "rollout", "start", "v4", "--env", "production", "--steps", "25,50", "--min-requests",
            RolloutMinRequests.ToString(CultureInfo.InvariantCulture), "--max-duration", "5m", "--force", "--reason", "demo: ship past the gate");
        var ended = await DriveRolloutAsync(cancellationToken);
        Outcome.RegressionRolloutState = ended?.State;
        Outcome.RegressionEvidence = ended?.EndReason;
        _say.Result(ended?.State == RolloutState.RolledBack, $"Rollout {ended?.State}: {ended?.EndReason}");
        await ExpectAsync(0, cancellationToken, "history", "--env", "production");
    }

    private async Task StepChecklistAsync(CancellationToken cancellationToken)
    {
        _say.Step(6, "The checklist, measured from the store");
        Outcome.ChecklistExit = await GlidepathAsync(cancellationToken, "checklist", "v3", "--env", "production");
        _say.Result(Outcome.ChecklistExit == 0, Outcome.ChecklistExit == 0
            ? "No row failed for v3 on production. A skip row has no evidence yet: the drift monitor compares v3 from a day after it became stable (glidepath monitor --env production --check)."
            : $"The checklist exited {Outcome.ChecklistExit}.");
        await StopGatewaysAsync();
        _say.Say("");
        _say.Say("Where to go next:");
        _say.Say("  glidepath init my-agent            start from this sample; edit glidepath.yaml (docs/manifest.md)");
        _say.Say("  glidepath gate --report gate.md    in CI on every pull request; exit 1 blocks the merge (docs/ci.md)");
        _say.Say("  glidepath serve --env production   the gateway; point your OpenAI/Anthropic SDK at it (docs/gateway.md)");
        _say.Say("  glidepath rollout start vN --env production   canary with the judge (docs/rollouts.md)");
        _say.Say("  glidepath rollback --env production           one step back, served within a second (docs/environments.md)");
        _say.Say("  glidepath monitor --env production / checklist  after the rollout (docs/monitoring.md, docs/checklist.md)");
        _say.Say($"This demo's workspace: {_ws.Path}" + (_keep ? "" : " (deleted at exit; keep it with --keep DIR)"));
    }

    /// <summary>Sends production traffic until the active rollout ends, printing the judge's table at every step.</summary>
    private async Task<Rollout?> DriveRolloutAsync(CancellationToken cancellationToken)
    {
        using var stopTraffic = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var traffic = _traffic!.SendAsync(_gateways["production"].Urls[0], null, 16, "customer", stopTraffic.Token);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(_fast ? 3 : 6);
        var lastStep = -1;
        Rollout? rollout;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                rollout = await _store!.Rollouts.LatestAsync("support-agent", "production", cancellationToken);
                if (rollout is null)
                {
                    return null;
                }

                if (!rollout.IsActive || rollout.StepIndex != lastStep)
                {
                    lastStep = rollout.StepIndex;
                    await GlidepathAsync(cancellationToken, "rollout", "status", "--env", "production");
                }

                if (!rollout.IsActive)
                {
                    return rollout;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    _say.Result(false, "The rollout did not finish in time; aborting it.");
                    await GlidepathAsync(cancellationToken, "rollout", "abort", "--env", "production", "--reason", "demo time limit");
                    return await _store.Rollouts.LatestAsync("support-agent", "production", cancellationToken);
                }
            }
        }
        finally
        {
            await stopTraffic.CancelAsync();
            await traffic;
        }
    }

    private async Task<GatewayServer> StartGatewayAsync(Manifest manifest, string environment, CancellationToken cancellationToken)
    {
        var serving = ServingOptions.For(_store!, manifest, environment, Models(manifest)) with
        {
            Monitor = null, // as before: no periodic drift check in the demo's gateways
            RolloutController = new RolloutControllerOptions
            {
                Holder = $"demo:{Environment.ProcessId}:{environment}",
                Interval = TimeSpan.FromMilliseconds(_fast ? 250 : 1000),
                App = manifest.App,
                Environment = environment,
            },
            Time = _ctx.Time,
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        var admin = new Glidepath.Gateway.Admin.AdminOptions { Manifest = manifest, Store = _store!, Time = _ctx.Time }; // the drill's probes need a token check
        return await GatewayServer.StartAsync(serving, HostOptions(admin, _ctx.Output.IsJson), cancellationToken);
    }

    /// <summary>
    /// How a demo gateway is hosted. Under <c>--format json</c> its log lines (a canary's automatic rollback is a warning)
    /// go to stderr with the story, as <c>serve</c>'s do: stdout carries the outcome document only. No dashboard: the
    /// story never opens one, and its data protection, creating a key ring at start, logged ASP.NET's "No XML encryptor
    /// configured" warning in the middle of Step 3 (and wrote a key under ~/.aspnet) (newcomer trial L14).
    /// </summary>
    internal static GatewayServerOptions HostOptions(Glidepath.Gateway.Admin.AdminOptions admin, bool json) => new()
    {
        Urls = ["http://127.0.0.1:0"],
        LogLevel = LogLevel.Warning,
        LogsToStderr = json,
        Admin = admin,
        Dashboard = null,
    };

    /// <summary>Each gateway gets its own model clients (its own provider concurrency), disposed when the gateways stop.</summary>
    private ModelClientFactory Models(Manifest manifest)
    {
        var models = new ModelClientFactory(_ctx.Time, PriceTable.For(manifest));
        _models.Add(models);
        return models;
    }

    private async Task StopGatewaysAsync()
    {
        foreach (var gateway in _gateways.Values)
        {
            await gateway.DisposeAsync();
        }

        _gateways.Clear();
        _traffic?.Dispose();
        _models.ForEach(m => m.Dispose());
        _models.Clear();
    }
}
