using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Serving;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Testing;

/// <summary>
/// What a serving host (the gateway or the in-process SDK) is tested against: a copy of the sample app with two
/// registered releases (v1 on model "stable-model", v2 on "canary-model"), v1 stable in staging, a real SQLite store and
/// scripted model clients per model name. The host is started by the test, after any manifest edit.
/// </summary>
internal sealed class ServingWorld : IAsyncDisposable
{
    private ServingWorld(string dir, Manifest manifest, SqliteStore store, Release v1, Release v2)
    {
        Directory = dir;
        Manifest = manifest;
        Store = store;
        V1 = v1;
        V2 = v2;
    }

    public string Directory { get; }

    /// <summary>The manifest as the releases were registered; <see cref="LoadManifest"/> reads the file as edited since.</summary>
    public Manifest Manifest { get; }
    public SqliteStore Store { get; }
    public Release V1 { get; }
    public Release V2 { get; }
    public FakeModelClientFactory Models { get; } = new();
    public string ManifestPath => Path.Combine(Directory, "glidepath.yaml");
    public string StorePath => Store.Location;

    /// <param name="manifestAppend">YAML appended to the sample's manifest.</param>
    /// <param name="editManifest">Rewrites the manifest text before the releases are registered (e.g. another provider).</param>
    public static async Task<ServingWorld> CreateAsync(string? manifestAppend = null, Func<string, string>? editManifest = null, string prefix = "gp-serve-")
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        TempDir.CopySample(dir);
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

        var world = new ServingWorld(dir, manifest, store, v1, v2);
        await world.SetAsync(s => s with { StableReleaseId = v1.Id }, "deploy");
        return world;
    }

    /// <summary>Replaces text in glidepath.yaml (after the releases were registered: serving settings such as capture or online sampling).</summary>
    public void EditManifest(string find, string replace)
    {
        var yaml = File.ReadAllText(ManifestPath);
        Assert.Contains(find, yaml, StringComparison.Ordinal);
        File.WriteAllText(ManifestPath, yaml.Replace(find, replace, StringComparison.Ordinal));
    }

    public Manifest LoadManifest() => ManifestParser.Load(ManifestPath);

    /// <summary>
    /// Sets staging's <c>routing_headers: true</c>, so every answer names its release and arm (off by default): for tests
    /// that read which arm served a request. Call before the host starts.
    /// </summary>
    public void ShowRoutingHeaders() => EditManifest(StagingRequestVars, StagingRequestVars + "\n    routing_headers: true");

    private const string StagingRequestVars = "    request_vars: [customer_tier]   # the only Glidepath-Var-* header callers may send";

    /// <summary>The serving core's options for staging, as a host gets them: no controller, no drift check, a 100 ms poll.</summary>
    public ServingOptions ServingOptions() => Glidepath.Serving.ServingOptions.For(Store, LoadManifest(), "staging", Models) with
    {
        Rollouts = null,
        Monitor = null,
        PollInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>What a host records for a sticky subject: its hash keyed by this store's secret.</summary>
    public async Task<string> SubjectHashAsync(string subject) =>
        new Glidepath.Routing.SubjectHasher((await Store.ReadIdentityAsync(CancellationToken.None)).SubjectKey).Hash(subject);

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

    /// <summary>Waits (10 s at most) for the batch writer to put the trace in the store.</summary>
    public Task<TraceRecord> TraceAsync(string traceId) => StoreWait.TraceAsync(Store, traceId);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        SqlitePools.ClearFolder(Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
