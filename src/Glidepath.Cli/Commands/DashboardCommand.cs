using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath dashboard [--urls URL]</c>: the web dashboard and the admin API over the store, without serving traffic.</summary>
internal static class DashboardCommand
{
    public static Command Build(CliEnvironment env)
    {
        var urls = new Option<string[]>("--urls")
        {
            Description = "Where to listen (default http://127.0.0.1:4002); port 0 picks a free port",
            DefaultValueFactory = _ => ["http://127.0.0.1:4002"],
            AllowMultipleArgumentsPerToken = true,
        };
        var oidc = ServeOidcOptions.Create();
        var forwarded = ServeForwardedOptions.Create();
        var sessionKey = ServeSessionKeyOptions.Create();
        var command = new Command("dashboard", """
            Serve the web dashboard (/dashboard) and the admin API it stands on (/admin/v1) over the store,
            without serving traffic or running a rollout controller. Every gateway started with 'glidepath serve'
            serves the same dashboard on its admin listener (--urls, or --admin-urls); this command is for a
            machine that only watches and acts: environments, the rollout's judge live, history, releases and
            their diff, gate verdicts, traces, drift alerts, the checklist; rollback, freeze, pause, resume and
            abort with confirmation, each allowed by the same roles as the admin API.
            Sign in with an access token ('glidepath tokens create --role viewer|deployer|owner|admin --env ENV')
            or, with --oidc-*, an OpenID Connect token. Serve it over https on any address other machines can
            reach: put a TLS-terminating reverse proxy in front and name it with --forwarded-from, so the dashboard
            takes the scheme it forwards (X-Forwarded-Proto) and marks the session cookie Secure; from any other
            address those headers are ignored. Beside gateways behind one load balancer, --session-key-env NAME
            (an environment variable holding the same random secret on each) makes a sign-in hold on all of them.
            See docs/dashboard.md and docs/deploy.md.

            Examples:
              glidepath dashboard
              glidepath dashboard --urls http://127.0.0.1:4002 --store "Host=db;Database=glidepath;Username=gp"
              glidepath dashboard --urls http://127.0.0.1:4002 --forwarded-from 127.0.0.1      # nginx on this machine
              glidepath dashboard --urls http://0.0.0.0:4002 --forwarded-from 10.0.0.2 --session-key-env GLIDEPATH_SESSION_KEY
            """)
        {
            urls,
        };
        oidc.AddTo(command);
        forwarded.AddTo(command);
        sessionKey.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var manifest = ctx.Manifest;
            var proxies = forwarded.Read(parse);
            var key = sessionKey.Read(parse);
            var store = await ctx.StoreAsync(ct);
            var admin = new AdminOptions { Manifest = manifest, Store = store, Time = ctx.Time, Oidc = oidc.Read(parse, manifest) };
            var listen = parse.GetValue(urls)!;
            DashboardServer server;
            try
            {
                server = await DashboardServer.StartAsync(admin, new DashboardOptions { SessionKey = key }, listen, proxies,
                    ctx.Output.IsJson ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information, logsToStderr: ctx.Output.IsJson, ct);
            }
            catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                throw new OperationalException($"cannot listen on {string.Join(", ", listen)}: the port is already in use; pass --urls with a free port", ex);
            }

            await using (server)
            {
                if (server.ClearTextWarning is { } clearText)
                {
                    ctx.Output.Note(clearText); // stderr, also under --format json; the host logs it too
                }

                if (ctx.Output.IsJson)
                {
                    ctx.Output.Json(new
                    {
                        app = manifest.App,
                        urls = server.Urls,
                        dashboard = server.Urls.Select(u => u + DashboardEndpointRouteBuilderExtensions.Prefix),
                        store = store.Location,
                        forwarded_from = proxies?.Names() ?? [],
                        forwarded_hosts = proxies?.Hosts ?? [],
                        shared_sessions = key is not null,
                        session_key_env = key?.Variable,
                    });
                }

                ctx.Output.Note($"Dashboard of {manifest.App} on {string.Join(", ", server.Urls.Select(u => u + DashboardEndpointRouteBuilderExtensions.Prefix))} (admin API at /admin/v1; store {store.Location}{ServeForwardedOptions.Describe(proxies)}; {ServeSessionKeyOptions.Describe(key)}); Ctrl-C stops.");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
