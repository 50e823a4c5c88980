using System.Text;
using Glidepath.Cli;
using Glidepath.Gateway;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A copy of samples/support-agent in a temp folder with a real store (SQLite beside the manifest, or the PostgreSQL
/// location given), v1 and v2 registered and v1 deployed to staging through the CLI, and a real gateway (the real
/// provider pipeline) on 127.0.0.1.
/// </summary>
internal sealed class SampleApp : IAsyncDisposable
{
    private SampleApp(string dir) => Directory = dir;

    public string Directory { get; }
    public IGlidepathStore Store { get; private set; } = null!;

    /// <summary>The store's location passed to every CLI call as --store; null: the SQLite file beside the manifest.</summary>
    public string? StoreLocation { get; private set; }
    public Manifest Manifest { get; private set; } = null!;
    public GatewayServer Gateway { get; private set; } = null!;
    public string Url => Gateway.Urls[0];
    private ModelClientFactory? _models;

    /// <param name="edit">Changes to glidepath.yaml before anything is registered.</param>
    /// <param name="storeLocation">Another store than the SQLite file beside the manifest (a PostgreSQL connection string).</param>
    public static async Task<SampleApp> CreateAsync(Func<string, string>? edit = null, string? storeLocation = null)
    {
        var app = new SampleApp(Path.Combine(Path.GetTempPath(), "gp-it-" + Guid.NewGuid().ToString("N")[..12])) { StoreLocation = storeLocation };
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(RepoRoot(), "samples", "support-agent"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(app.Directory, Path.GetRelativePath(Path.Combine(RepoRoot(), "samples", "support-agent"), file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        // A fast sim so tests do not wait on simulated latency.
        var yaml = File.ReadAllText(app.ManifestPath).Replace(
            "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }",
            "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { first_token_ms: 1, tokens_per_second: 100000 }",
            StringComparison.Ordinal);
        File.WriteAllText(app.ManifestPath, edit?.Invoke(yaml) ?? yaml);

        await app.CliAsync("release", "create", "-m", "v1");
        File.AppendAllText(Path.Combine(app.Directory, "prompts", "system.md"), "- Gift wrapping: we gift wrap any order for free on request.\n");
        await app.CliAsync("release", "create", "-m", "v2");
        await app.CliAsync("deploy", "v1", "--env", "staging");
        app.Store = storeLocation is null
            ? await SqliteStore.OpenAsync(Path.Combine(app.Directory, ".glidepath", "glidepath.db"), TimeProvider.System, CancellationToken.None)
            : await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(storeLocation, create: false, TimeProvider.System, CancellationToken.None);
        app.Manifest = ManifestParser.Load(app.ManifestPath);
        return app;
    }

    public string ManifestPath => Path.Combine(Directory, "glidepath.yaml");

    /// <summary>
    /// Sets <c>routing_headers: true</c> on both environments, so every answer names its release and arm (off by default):
    /// for tests that read which release or arm served a request. Call before the gateway starts.
    /// </summary>
    public void ShowRoutingHeaders()
    {
        const string RequestVars = "    request_vars: [customer_tier]";
        var yaml = File.ReadAllText(ManifestPath);
        Assert.Equal(2, yaml.Split(RequestVars).Length - 1);
        File.WriteAllText(ManifestPath, yaml.Replace(RequestVars, "    routing_headers: true\n" + RequestVars, StringComparison.Ordinal));
        Manifest = ManifestParser.Load(ManifestPath);
    }

    /// <param name="requireKeys">Whether callers need a key (gpk_…), as on a non-loopback bind.</param>
    /// <param name="pollInterval">How often the gateway polls the store (default 200 ms).</param>
    public async Task StartGatewayAsync(bool requireKeys = false, TimeSpan? pollInterval = null)
    {
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(Manifest));
        Gateway = await GatewayServer.StartAsync(ServingOptions.For(Store, Manifest, "staging", _models) with
        {
            Rollouts = null,
            Monitor = null,
            PollInterval = pollInterval ?? TimeSpan.FromMilliseconds(200),
        }, new GatewayServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            Gateway = new GatewayOptions { RequireKeys = requireKeys },
            Admin = new Glidepath.Gateway.Admin.AdminOptions { Manifest = Manifest, Store = Store },
        }, CancellationToken.None);
    }

    public async Task<string> ReleaseLabelAsync(int version) =>
        (await Store.Releases.GetByVersionAsync(Manifest.App, version, default))!.Label;

    /// <summary>Runs the glidepath CLI in-process in the app's folder; returns exit code, stdout and stderr.</summary>
    public async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] store = StoreLocation is null ? [] : ["--store", StoreLocation];
        var exit = await CliApp.RunAsync(["--manifest", ManifestPath, .. store, .. args], stdout, stderr, isTerminal: false, CancellationToken.None);
        if (exit != 0 && args[0] is "release" or "deploy")
        {
            throw new InvalidOperationException($"glidepath {string.Join(' ', args)} exited {exit}: {stderr}");
        }

        return (exit, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        _models?.Dispose();
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        SqlitePools.ClearFolder(Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Glidepath.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find Glidepath.slnx above " + AppContext.BaseDirectory);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
