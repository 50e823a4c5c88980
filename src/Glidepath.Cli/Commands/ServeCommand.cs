using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Gateway;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath serve --env E [--urls URL]</c>: the gateway, serving one environment's releases.</summary>
internal static class ServeCommand
{
    public static Command Build(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var urls = new Option<string[]>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:4000); port 0 picks a free port",
            DefaultValueFactory = _ => ["http://127.0.0.1:4000"],
            AllowMultipleArgumentsPerToken = true,
        };
        var pollMs = new Option<int?>("--poll-ms")
        {
            Description = "How often the environment's revision is read, in ms. SQLite: 10-250, default 200 (a rollback is served within about this). PostgreSQL pushes changes (LISTEN/NOTIFY), so this is a safety net: 10-600000, default 5000",
        };
        var pollOnly = new Option<bool>("--poll-only")
        {
            Description = "Ignore the changes the store pushes (PostgreSQL LISTEN/NOTIFY) and poll instead (10-250 ms): behind a connection pooler that cannot hold a LISTEN session, such as PgBouncer in transaction mode",
        };
        var staleCanary = new Option<string>("--stale-canary-limit")
        {
            Description = "How long the store may be unreadable before this gateway stops serving the canary (every request to stable) until it can read it again: a rollback made meanwhile cannot reach it (e.g. 60s; 'off' serves the canary however long the outage lasts)",
            DefaultValueFactory = _ => "60s",
        };
        var controllerEvery = new Option<string>("--controller-interval")
        {
            Description = "How often the rollout controller in this gateway judges the environment's active rollout (e.g. 5s)",
            DefaultValueFactory = _ => "5s",
        };
        var controllerLease = new Option<string>("--controller-lease")
        {
            Description = "How long this gateway's hold on a rollout lasts unless renewed: after a crash another gateway takes over within this (e.g. 30s; at least 3 controller intervals)",
            DefaultValueFactory = _ => "30s",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Gateway log lines as text or json (one JSON object per line: one per request with trace id, release, arm, status, latency, error)",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var requireKeys = new Option<bool>("--require-keys") { Description = "Require a caller's key (gpk_…) even on a loopback address (on by default for any other address)" };
        var allowAnonymous = new Option<bool>("--allow-anonymous") { Description = "Serve callers without keys even on an address other machines can reach (keys are then not checked)" };
        var noPassThrough = new Option<bool>("--no-pass-through") { Description = "Translate every request through the providers pipeline, even when the caller's wire format is the provider's (pass-through is on by default)" };
        var adminUrls = new Option<string[]>("--admin-urls") { Description = "Serve the admin API (/admin/v1) only here, e.g. http://127.0.0.1:4001 (default: on --urls)", AllowMultipleArgumentsPerToken = true };
        var metricsUrls = new Option<string[]>("--metrics-urls") { Description = "Serve /metrics only here, without a token; a bare port is 127.0.0.1 (default: on --urls, with an access token)", AllowMultipleArgumentsPerToken = true };
        var drift = DriftCheckOptions.ForBuiltInCheck();
        var oidc = ServeOidcOptions.Create();
        var forwarded = ServeForwardedOptions.Create();
        var sessionKey = ServeSessionKeyOptions.Create();
        var command = new Command("serve", """
            Serve an environment: an OpenAI-compatible POST /v1/chat/completions and an Anthropic-compatible
            POST /v1/messages (streaming and not) in front of the environment's releases, with the sticky
            stable/canary split, per-release traces, POST /v1/feedback, /healthz, /readyz and /metrics.
            Point an app's OpenAI or Anthropic SDK at it (base URL only) and send "model": "<app>".
            It also runs the rollout controller for the environment (one gateway acts at a time, by a lease in the
            store): see 'glidepath rollout --help'; and the drift check of its stable release as it starts and every
            5 minutes after, comparing the last --monitor-window (default 1h) with the same clock window on earlier
            days (--monitor-reference day) or weeks (week), as 'glidepath monitor --check' does (docs/monitoring.md).
            A rollback or canary change is picked up within a poll (SQLite) or as soon as it commits (PostgreSQL
            LISTEN/NOTIFY, with a slow poll as a safety net); if the store cannot be read the gateway
            keeps serving its last routing table (fail static), its canary for at most --stale-canary-limit.
            OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
            Callers' keys ('glidepath keys create'): required by default when the gateway listens on an address
            other machines can reach (it then refuses to start without a key for the environment), off on
            loopback unless --require-keys; --allow-anonymous serves without keys anywhere.
            The admin API (/admin/v1, OpenAPI at /admin/v1/openapi.json) is served on --urls, or only on
            --admin-urls; every operation needs an access token ('glidepath tokens create') or, with --oidc-*,
            an OpenID Connect token. /metrics needs an access token with a role in --env, or its own --metrics-urls.
            The web dashboard (/dashboard, docs/dashboard.md) is served beside the admin API, on its listener.
            Behind a TLS-terminating reverse proxy, name it with --forwarded-from: the admin API and the dashboard
            then take the scheme it forwards (X-Forwarded-Proto), which the dashboard's sign-in and its Secure
            cookie need; from any other address those headers are ignored (docs/deploy.md).
            Several gateways behind one load balancer share dashboard sign-ins with --session-key-env NAME: the
            name of an environment variable holding the same random secret on each (never the secret itself).
            A request in the provider's own wire format passes through (body patched, answer copied as it
            comes); --no-pass-through translates every request instead.

            Examples:
              glidepath serve --env staging --urls http://127.0.0.1:4000
              glidepath serve --env production --urls http://0.0.0.0:4000          # keys required
              glidepath serve --env staging --require-keys
              glidepath serve --env staging --monitor-window 6h                    # low traffic: compare 6 hours
              glidepath serve --env production --urls http://0.0.0.0:4000 --admin-urls http://10.0.0.5:4001 --metrics-urls 9464
              glidepath serve --env production --urls http://0.0.0.0:4000 --admin-urls http://10.0.0.5:4001 --forwarded-from 10.0.0.2
              glidepath serve --env production --urls http://0.0.0.0:4000 --session-key-env GLIDEPATH_SESSION_KEY
            """)
        {
            environment,
            urls,
            pollMs,
            pollOnly,
            staleCanary,
            controllerEvery,
            controllerLease,
            logFormat,
            requireKeys,
            allowAnonymous,
            noPassThrough,
            adminUrls,
            metricsUrls,
        };
        drift.AddTo(command);
        oidc.AddTo(command);
        forwarded.AddTo(command);
        sessionKey.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            if (!Glidepath.Manifests.DurationParser.TryParse(parse.GetValue(controllerEvery)!, out var controllerInterval) || controllerInterval < TimeSpan.FromMilliseconds(50))
            {
                throw new BadInputException($"--controller-interval '{parse.GetValue(controllerEvery)}' is not a duration of at least 50ms; expected e.g. 5s");
            }

            if (!Glidepath.Manifests.DurationParser.TryParse(parse.GetValue(controllerLease)!, out var lease) || lease < controllerInterval * 3)
            {
                throw new BadInputException($"--controller-lease '{parse.GetValue(controllerLease)}' is not a duration of at least three controller intervals ({controllerInterval.TotalMilliseconds * 3:0} ms); expected e.g. 30s");
            }

            var staleText = parse.GetValue(staleCanary)!;
            TimeSpan? staleLimit = staleText == "off" ? null
                : Glidepath.Manifests.DurationParser.TryParse(staleText, out var limit) && limit > TimeSpan.Zero ? limit
                : throw new BadInputException($"--stale-canary-limit '{staleText}' is not a duration above zero and at most {Glidepath.Manifests.DurationParser.MaxDays:0} days, or 'off'; expected e.g. 60s");
            var (monitorWindow, monitorReference) = (drift.ReadWindow(parse), drift.ReadReference(parse));
            var manifest = ctx.Manifest;
            var spec = manifest.FindEnvironment(parse.GetValue(environment)!)
                ?? throw new BadInputException($"unknown environment '{parse.GetValue(environment)}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
            var oidcOptions = oidc.Read(parse, manifest);
            var proxies = forwarded.Read(parse);
            var key = sessionKey.Read(parse);
            var store = await ctx.StoreAsync(ct);
            var pushes = store is Glidepath.Storage.IRevisionWatch && !parse.GetValue(pollOnly);
            var poll = PollInterval(parse.GetValue(pollMs), pushes);
            // Each gateway process draws its own sim faults (GLIDEPATH_SIM_SALT fixes them for a reproducible drill).
            var models = ctx.Env.ModelClients?.Invoke(manifest, store) ?? new ModelClientFactory(ctx.Time, PriceTable.For(manifest),
                defaults: new ModelClientDefaults { SimSalt = SimProcessSalt.ForProcess(Environment.GetEnvironmentVariable) });
            try
            {
                var serving = ServingOptions.For(store, manifest, spec.Name, models) with
                {
                    RolloutController = new Glidepath.Rollouts.RolloutControllerOptions
                    {
                        Holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}",
                        Interval = controllerInterval,
                        LeaseDuration = lease,
                        App = manifest.App,
                        Environment = spec.Name,
                    },
                    Time = ctx.Time,
                    MonitorWindow = monitorWindow,
                    MonitorReference = monitorReference,
                    PollInterval = poll,
                    StaleCanaryLimit = staleLimit,
                    Watch = pushes ? (Glidepath.Storage.IRevisionWatch)store : null,
                };
                var listen = parse.GetValue(urls)!;
                var host = new GatewayServerOptions
                {
                    Urls = listen,
                    Gateway = new GatewayOptions { RequireKeys = Glidepath.Gateway.Hosting.GatewayAuthentication.RequiresKeys(listen, parse.GetValue(requireKeys), parse.GetValue(allowAnonymous)), PassThrough = !parse.GetValue(noPassThrough) },
                    OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp ? otlp : null,
                    LogLevel = ctx.Output.IsJson ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information,
                    LogFormat = parse.GetValue(logFormat)!,
                    LogsToStderr = ctx.Output.IsJson,
                    Admin = new Glidepath.Gateway.Admin.AdminOptions { Manifest = manifest, Store = store, Time = ctx.Time, Oidc = oidcOptions },
                    AdminUrls = parse.GetValue(adminUrls) ?? [],
                    MetricsUrls = parse.GetValue(metricsUrls) ?? [],
                    ForwardedFrom = proxies,
                    Dashboard = new Glidepath.Gateway.Dashboard.DashboardOptions { SessionKey = key },
                };
                await using var server = await StartAsync(serving, host, ct);
                if (server.ExposureWarning is { } exposed)
                {
                    ctx.Output.Note(exposed); // stderr, also under --format json; the gateway logs it too
                }

                if (server.ClearTextWarning is { } clearText)
                {
                    ctx.Output.Note(clearText);
                }

                if (server.MetricsWarning is { } metricsExposed)
                {
                    ctx.Output.Note(metricsExposed);
                }

                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new
                    {
                        app = manifest.App,
                        environment = spec.Name,
                        urls = server.Urls,
                        admin_urls = server.AdminUrls.Count > 0 ? server.AdminUrls : server.Urls,
                        metrics_urls = server.MetricsUrls,
                        store = store.Location,
                        keys_required = host.Gateway.RequireKeys,
                        monitor_window_minutes = monitorWindow.TotalMinutes,
                        monitor_reference = monitorReference == Monitoring.DriftReference.Week ? "week" : "day",
                        oidc = oidcOptions is not null,
                        forwarded_from = proxies?.Names() ?? [],
                        forwarded_hosts = proxies?.Hosts ?? [],
                        shared_sessions = key is not null,
                        session_key_env = key?.Variable,
                    });
                }

                // Said once at start, not only by /readyz and each request's 503: serving begins as soon as a release is.
                if ((await store.Environments.GetAsync(manifest.App, spec.Name, ct)).StableReleaseId is not { } stableId)
                {
                    var fix = Glidepath.Environments.FirstRelease.Describe(Glidepath.Environments.FirstRelease.Commands(manifest, spec, "REF"));
                    ctx.Output.Note($"warning: {spec.Name} has no stable release yet, so every request is answered 503 until one is there: {fix}");
                }
                else if (await store.Releases.GetByIdAsync(manifest.App, stableId, ct) is { } stable)
                {
                    // The manifest on disk may set vars the stable release's prompt does not use (newcomer4 M2).
                    EnvironmentVarWarnings.Print(ctx, manifest, [spec], stable);
                }

                ctx.Output.Note($"Serving {manifest.App}@{spec.Name} on {string.Join(", ", server.Urls)} (store {store.Location}, {(host.Gateway.RequireKeys ? "callers' keys required" : "no keys needed")}, drift check at start and every 5 minutes, window {DriftCheckOptions.Describe(monitorWindow, monitorReference)}); Ctrl-C stops.");
                ctx.Output.Note($"Admin API on {string.Join(", ", server.AdminUrls.Count > 0 ? server.AdminUrls : server.Urls)}/admin/v1 (access tokens{(oidcOptions is null ? "" : " and OIDC")}), dashboard at /dashboard ({ServeSessionKeyOptions.Describe(key)}); /metrics {(server.MetricsUrls.Count > 0 ? $"on {string.Join(", ", server.MetricsUrls)}" : "with an access token")}{ServeForwardedOptions.Describe(proxies)}.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }

                ctx.Output.Note("Stopping: finishing requests in flight and writing queued traces.");
                return ExitCodes.Ok;
            }
            finally
            {
                (models as IDisposable)?.Dispose();
            }
        });
        return command;
    }

    // A store that pushes its changes is polled only as a safety net; one that does not must be polled often enough that
    // a rollback is served within a second.
    private static TimeSpan PollInterval(int? ms, bool pushes)
    {
        var (max, fallback) = pushes ? (600_000, 5_000) : (250, 200);
        var value = ms ?? fallback;
        if (value < 10 || value > max)
        {
            throw new BadInputException(pushes
                ? $"--poll-ms {value} is out of range; expected 10 to 600000 (the store pushes changes; the poll is a safety net)"
                : $"--poll-ms {value} is out of range; expected 10 to 250 so a rollback is served within a second");
        }

        return TimeSpan.FromMilliseconds(value);
    }

    private static async Task<GatewayServer> StartAsync(ServingOptions serving, GatewayServerOptions host, CancellationToken ct)
    {
        try
        {
            return await GatewayServer.StartAsync(serving, host, ct);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new OperationalException($"cannot listen on {string.Join(", ", host.Urls)}: the port is already in use; stop the other process or pass --urls with a free port", ex);
        }
    }
}
