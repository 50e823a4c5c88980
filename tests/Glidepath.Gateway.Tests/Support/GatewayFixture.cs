using System.Text;
using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>
/// The shared <see cref="ServingWorld"/> (a copy of the sample app with v1 on model "stable-model" and v2 on
/// "canary-model", a real SQLite store) and a real gateway over it on 127.0.0.1 at a port chosen at run time.
/// </summary>
internal sealed class GatewayFixture : IAsyncDisposable
{
    private ScriptedUpstream? _upstream;
    private GatewayUpstream? _mode;
    private Glidepath.Providers.ModelClientFactory? _providers;

    private GatewayFixture(ServingWorld world) => World = world;

    /// <summary>The HTTP upstream serving the scripted clients, when the fixture was created over one.</summary>
    public ScriptedUpstream? Upstream => _upstream;

    public ServingWorld World { get; }
    public string Directory => World.Directory;
    public Manifest Manifest => World.Manifest;
    public SqliteStore Store => World.Store;
    public Release V1 => World.V1;
    public Release V2 => World.V2;
    public FakeModelClientFactory Models => World.Models;
    public GatewayServer? Server { get; private set; }
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public string Url => Server!.Urls[0];
    public string StorePath => World.StorePath;

    /// <summary>What the gateway records for a sticky subject: its hash keyed by this store's secret.</summary>
    public Task<string> SubjectHashAsync(string subject) => World.SubjectHashAsync(subject);

    /// <param name="manifestAppend">YAML appended to the sample's manifest.</param>
    /// <param name="editManifest">Rewrites the manifest text before the releases are registered (e.g. another provider).</param>
    /// <param name="upstream">Null: the scripted clients answer in-process (the translating path). Otherwise the release is on
    /// that provider at a <see cref="ScriptedUpstream"/> answering with the same scripted clients, through the real providers
    /// pipeline: the pass-through path, or the translating one with pass-through turned off.</param>
    public static async Task<GatewayFixture> CreateAsync(string? manifestAppend = null, Func<string, string>? editManifest = null, GatewayUpstream? upstream = null)
    {
        if (upstream is null)
        {
            return new(await ServingWorld.CreateAsync(manifestAppend, editManifest, "gp-gw-"));
        }

        var http = await ScriptedUpstream.StartAsync();
        var world = await ServingWorld.CreateAsync(manifestAppend, y => http.Manifest(editManifest?.Invoke(y) ?? y, upstream.Provider, upstream.AnthropicSettings), "gp-gw-");
        http.Models = world.Models;
        return new(world) { _upstream = http, _mode = upstream };
    }

    /// <summary>A gateway over a world the caller owns (the shared serving cases).</summary>
    public static GatewayFixture Over(ServingWorld world) => new(world);

    /// <param name="configure">Changes the serving core's options.</param>
    /// <param name="server">Changes how the gateway is hosted (listen address, logging, body limit).</param>
    public async Task StartAsync(Func<ServingOptions, ServingOptions>? configure = null, Func<GatewayServerOptions, GatewayServerOptions>? server = null)
    {
        var serving = ServingOptions();
        var host = Host(server);
        if (_mode is { } mode)
        {
            _providers ??= new Glidepath.Providers.ModelClientFactory(TimeProvider.System, Glidepath.Models.PriceTable.For(serving.Manifest),
                defaults: new Glidepath.Providers.ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-4f9Qz7Xw2Lk8" });
            serving = serving with { Models = _providers };
            host = host with { Gateway = host.Gateway with { PassThrough = mode.PassThrough } };
        }

        Server = await GatewayServer.StartAsync(configure?.Invoke(serving) ?? serving, host, CancellationToken.None);
    }

    /// <summary>Sets staging's <c>routing_headers: true</c> (every answer names its release and arm); call before <see cref="StartAsync"/>.</summary>
    public void ShowRoutingHeaders() => World.ShowRoutingHeaders();

    /// <summary>The serving core's options for the staging environment, as the gateway gets them.</summary>
    public ServingOptions ServingOptions() => World.ServingOptions();

    private static GatewayServerOptions Host(Func<GatewayServerOptions, GatewayServerOptions>? server)
    {
        var options = new GatewayServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        };
        return server?.Invoke(options) ?? options;
    }

    /// <summary>Reads /readyz until its body satisfies <paramref name="condition"/> (<see cref="Eventually"/>), and returns that body.</summary>
    public async Task<System.Text.Json.JsonElement> ReadyUntilAsync(Func<System.Text.Json.JsonElement, bool> condition)
    {
        System.Text.Json.JsonElement ready = default;
        await Eventually.TrueAsync(async () =>
        {
            using var response = await Http.GetAsync(Url + "/readyz");
            ready = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return condition(ready);
        }, "/readyz never reached the expected state");
        return ready;
    }

    /// <summary>Waits until the gateway serves <paramref name="revision"/> of the environment or a later one (its /readyz says so); fails after 30 s.</summary>
    public async Task WaitForRevisionAsync(long revision)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var ready = await Http.GetAsync(Url + "/readyz");
            using var doc = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            if (doc.RootElement.GetProperty("revision").GetInt64() >= revision)
            {
                return;
            }

            await Task.Delay(25);
        }

        Assert.Fail($"the gateway did not reach revision {revision} within 30 s");
    }

    /// <summary>
    /// The trace <paramref name="id"/> once the batch writer has stored it. Writing is asynchronous by design, so this
    /// waits for it; the 60 s bound only turns a trace that never arrives into a failure, it times nothing.
    /// </summary>
    public async Task<Glidepath.Traces.TraceRecord> TraceAsync(string id)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (await Store.Traces.GetAsync(id, default) is { } trace)
            {
                return trace;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"trace {id} never reached the store");
    }

    /// <summary>Changes the staging environment through the store's compare-and-swap, as the CLI does.</summary>
    public Task<EnvironmentState> SetAsync(Func<EnvironmentState, EnvironmentState> change, string kind) => World.SetAsync(change, kind);

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

    /// <summary>Stops the gateway and disposes the world.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await World.DisposeAsync();
    }

    /// <summary>
    /// Stops the gateway's host as SIGTERM does (the CLI disposes it) and returns when the stop is over; the upstream and
    /// the HTTP client stay, so requests in flight can be finished and read.
    /// </summary>
    public async Task StopGatewayAsync()
    {
        var server = Server ?? throw new InvalidOperationException("the gateway is not running");
        Server = null;
        await server.DisposeAsync();
    }

    /// <summary>Stops the gateway only (the world stays with its owner).</summary>
    public async ValueTask StopAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
            Server = null;
        }

        Http.Dispose();
        _providers?.Dispose();
        _providers = null;
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
            _upstream = null;
        }
    }
}
