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
        var pollMs = new Option<int>("--poll-ms")
        {
            Description = "How often the environment's revision is read, in ms (10-250; a rollback is served within about this)",
            DefaultValueFactory = _ => 200,
        };
        var controllerEvery = new Option<string>("--controller-interval")
        {
            Description = "How often the rollout controller in this gateway judges the environment's active rollout (e.g. 5s)",
            DefaultValueFactory = _ => "5s",
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Gateway log lines as text or json (one JSON object per line: one per request with trace id, release, arm, status, latency, error)",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var requireKeys = new Option<bool>("--require-keys") { Description = "Require a caller's key (gpk_…) even on a loopback address (on by default for any other address)" };
        var allowAnonymous = new Option<bool>("--allow-anonymous") { Description = "Serve callers without keys even on an address other machines can reach (keys are then not checked)" };
        var adminUrls = new Option<string[]>("--admin-urls") { Description = "Serve the admin API (/admin/v1) only here, e.g. http://127.0.0.1:4001 (default: on --urls)", AllowMultipleArgumentsPerToken = true };
        var metricsUrls = new Option<string[]>("--metrics-urls") { Description = "Serve /metrics only here, without a token; a bare port is 127.0.0.1 (default: on --urls, with an access token)", AllowMultipleArgumentsPerToken = true };
        var oidc = ServeOidcOptions.Create();
        var command = new Command("serve", """
            Serve an environment: an OpenAI-compatible POST /v1/chat/completions and an Anthropic-compatible
            POST /v1/messages (streaming and not) in front of the environment's releases, with the sticky
            stable/canary split, per-release traces, POST /v1/feedback, /healthz, /readyz and /metrics.
            Point an app's OpenAI or Anthropic SDK at it (base URL only) and send "model": "<app>".
            It also runs the rollout controller for the environment (one gateway acts at a time, by a lease in the
            store): see 'glidepath rollout --help'.
            A rollback or canary change is picked up within a poll; if the store cannot be read the gateway
            keeps serving its last routing table (fail static). OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
            Callers' keys ('glidepath keys create'): required by default when the gateway listens on an address
            other machines can reach (it then refuses to start without a key for the environment), off on
            loopback unless --require-keys; --allow-anonymous serves without keys anywhere.
            The admin API (/admin/v1, OpenAPI at /admin/v1/openapi.json) is served on --urls, or only on
            --admin-urls; every operation needs an access token ('glidepath tokens create') or, with --oidc-*,
            an OpenID Connect token. /metrics needs an access token of any role, or its own --metrics-urls.

            Examples:
              glidepath serve --env staging --urls http://127.0.0.1:4000
              glidepath serve --env production --urls http://0.0.0.0:4000          # keys required
              glidepath serve --env staging --require-keys
              glidepath serve --env production --urls http://0.0.0.0:4000 --admin-urls http://10.0.0.5:4001 --metrics-urls 9464
            """)
        {
            environment,
            urls,
            pollMs,
            controllerEvery,
            logFormat,
            requireKeys,
            allowAnonymous,
            adminUrls,
            metricsUrls,
        };
        oidc.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var poll = parse.GetValue(pollMs);
            if (poll is < 10 or > 250)
            {
                throw new BadInputException($"--poll-ms {poll} is out of range; expected 10 to 250 so a rollback is served within a second");
            }

            if (!Glidepath.Manifests.DurationParser.TryParse(parse.GetValue(controllerEvery)!, out var controllerInterval) || controllerInterval < TimeSpan.FromMilliseconds(50))
            {
                throw new BadInputException($"--controller-interval '{parse.GetValue(controllerEvery)}' is not a duration of at least 50ms; expected e.g. 5s");
            }

            var manifest = ctx.Manifest;
            var spec = manifest.FindEnvironment(parse.GetValue(environment)!)
                ?? throw new BadInputException($"unknown environment '{parse.GetValue(environment)}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
            var oidcOptions = oidc.Read(parse, manifest);
            var store = await ctx.StoreAsync(ct);
            var models = ctx.Env.ModelClients?.Invoke(manifest, store) ?? new ModelClientFactory(ctx.Time, PriceTable.For(manifest));
            try
            {
                var serving = ServingOptions.For(store, manifest, spec.Name, models) with
                {
                    RolloutController = new Glidepath.Rollouts.RolloutControllerOptions
                    {
                        Holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}",
                        Interval = controllerInterval,
                        App = manifest.App,
                        Environment = spec.Name,
                    },
                    Time = ctx.Time,
                    PollInterval = TimeSpan.FromMilliseconds(poll),
                };
                var listen = parse.GetValue(urls)!;
                var host = new GatewayServerOptions
                {
                    Urls = listen,
                    Gateway = new GatewayOptions { RequireKeys = Glidepath.Gateway.Hosting.GatewayAuthentication.RequiresKeys(listen, parse.GetValue(requireKeys), parse.GetValue(allowAnonymous)) },
                    OtlpEndpoint = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp ? otlp : null,
                    LogLevel = ctx.Output.IsJson ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information,
                    LogFormat = parse.GetValue(logFormat)!,
                    Admin = new Glidepath.Gateway.Admin.AdminOptions { Manifest = manifest, Store = store, Time = ctx.Time, Oidc = oidcOptions },
                    AdminUrls = parse.GetValue(adminUrls) ?? [],
                    MetricsUrls = parse.GetValue(metricsUrls) ?? [],
                };
                await using var server = await StartAsync(serving, host, ct);
                if (server.ExposureWarning is { } exposed)
                {
                    ctx.Output.Note(exposed); // stderr, also under --format json; the gateway logs it too
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
                        oidc = oidcOptions is not null,
                    });
                }

                ctx.Output.Note($"Serving {manifest.App}@{spec.Name} on {string.Join(", ", server.Urls)} (store {store.Location}, {(host.Gateway.RequireKeys ? "callers' keys required" : "no keys needed")}); Ctrl-C stops.");
                ctx.Output.Note($"Admin API on {string.Join(", ", server.AdminUrls.Count > 0 ? server.AdminUrls : server.Urls)}/admin/v1 (access tokens{(oidcOptions is null ? "" : " and OIDC")}); /metrics {(server.MetricsUrls.Count > 0 ? $"on {string.Join(", ", server.MetricsUrls)}" : "with an access token")}.");
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
