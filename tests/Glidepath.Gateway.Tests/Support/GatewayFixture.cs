using System.Text;
using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>
/// A copy of the sample app with two registered releases (v1 on model "stable-model", v2 on "canary-model"),
/// a real SQLite store, and a real gateway on 127.0.0.1 at a port chosen at run time.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private GatewayFixture(string dir, Manifest manifest, SqliteStore store, Release v1, Release v2)
    {
        Directory = dir;
        Manifest = manifest;
        Store = store;
        V1 = v1;
        V2 = v2;
    }

    public string Directory { get; }
    public Manifest Manifest { get; }
    public SqliteStore Store { get; }
    public Release V1 { get; }
    public Release V2 { get; }
    public FakeModelClientFactory Models { get; } = new();
    public GatewayServer? Server { get; private set; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public string Url => Server!.Urls[0];
    public string StorePath => Store.Location;

    /// <summary>What the gateway records for a sticky subject: its hash keyed by this store's secret.</summary>
    public async Task<string> SubjectHashAsync(string subject) =>
        new Glidepath.Routing.SubjectHasher((await Store.ReadIdentityAsync(CancellationToken.None)).SubjectKey).Hash(subject);

    /// <param name="manifestAppend">YAML appended to the sample's manifest.</param>
    /// <param name="editManifest">Rewrites the manifest text before the releases are registered (e.g. another provider).</param>
    public static async Task<GatewayFixture> CreateAsync(string? manifestAppend = null, Func<string, string>? editManifest = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gp-gw-" + Guid.NewGuid().ToString("N")[..12]);
        Glidepath.Testing.TempDir.CopySample(dir);
        var manifestPath = Path.Combine(dir, "glidepath.yaml");
        var yaml = await File.ReadAllTextAsync(manifestPath);
        yaml = yaml.Replace("name: sim-support-1", "name: stable-model", StringComparison.Ordinal) + (manifestAppend ?? "");
        yaml = editManifest?.Invoke(yaml) ?? yaml;
        await File.WriteAllTextAsync(manifestPath, yaml);
        var store = await SqliteStore.OpenAsync(Path.Combine(dir, ".glidepath", "glidepath.db"), TimeProvider.System, CancellationToken.None);
        var manifest = ManifestParser.Load(manifestPath);
        var v1 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v1", TimeProvider.System, default), default)).Release;

        await File.WriteAllTextAsync(manifestPath, yaml.Replace("name: stable-model", "name: canary-model", StringComparison.Ordinal));
        var manifest2 = ManifestParser.Load(manifestPath);
        var v2 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest2, "v2", TimeProvider.System, default), default)).Release;
        await File.WriteAllTextAsync(manifestPath, yaml);

        var fixture = new GatewayFixture(dir, manifest, store, v1, v2);
        await fixture.SetAsync(s => s with { StableReleaseId = v1.Id }, "deploy");
        return fixture;
    }

    /// <param name="configure">Changes the serving core's options.</param>
    /// <param name="server">Changes how the gateway is hosted (listen address, logging, body limit).</param>
    public async Task StartAsync(Func<ServingOptions, ServingOptions>? configure = null, Func<GatewayServerOptions, GatewayServerOptions>? server = null)
    {
        Server = await GatewayServer.StartAsync(configure?.Invoke(ServingOptions()) ?? ServingOptions(), Host(server), CancellationToken.None);
    }

    /// <summary>The serving core's options for the staging environment, as the gateway gets them.</summary>
    public ServingOptions ServingOptions() => Glidepath.Serving.ServingOptions.For(Store, Manifest, "staging", Models) with
    {
        Rollouts = null,
        Monitor = null,
        PollInterval = TimeSpan.FromMilliseconds(100),
    };

    private static GatewayServerOptions Host(Func<GatewayServerOptions, GatewayServerOptions>? server)
    {
        var options = new GatewayServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        };
        return server?.Invoke(options) ?? options;
    }

    /// <summary>Changes the staging environment through the store's compare-and-swap, as the CLI does.</summary>
    public async Task<EnvironmentState> SetAsync(Func<EnvironmentState, EnvironmentState> change, string kind)
    {
        var current = await Store.Environments.GetAsync(Manifest.App, "staging", default);
        return await Store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = Manifest.App,
            Environment = "staging",
            ExpectedRevision = current.Revision,
            NewState = change(current),
            Event = new EnvironmentEvent { App = Manifest.App, Environment = "staging", Revision = 0, Kind = kind, Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        return Http.SendAsync(request);
    }

    public static string Chat(string text = "Can I return shoes after 45 days?", string model = "support-agent", string extra = "") =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{text}}"}]{{extra}}}""";

    public static string Message(string text = "Can I return shoes after 45 days?", string model = "support-agent", string extra = "") =>
        $$"""{"model":"{{model}}","max_tokens":100,"messages":[{"role":"user","content":"{{text}}"}]{{extra}}}""";

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Http.Dispose();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
