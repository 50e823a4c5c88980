using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Releases;
using Glidepath.Serving.Chat;
using Glidepath.Storage.Sqlite;
using Glidepath.Traces;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Serving.Tests.Support;

/// <summary>
/// The serving core with no web host: a copy of the sample app (simulated model), a real SQLite store with v1
/// stable in staging, <c>AddGlidepathServing</c> on a plain service collection, and its hosted services started by hand.
/// </summary>
internal sealed class ServingFixture : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    private ServingFixture(string directory, SqliteStore store, Release v1, ServingOptions options, ServiceProvider services)
    {
        Directory = directory;
        Store = store;
        V1 = v1;
        Options = options;
        Services = services;
    }

    public string Directory { get; }
    public SqliteStore Store { get; }
    public Release V1 { get; }

    /// <summary>The options the core was added with.</summary>
    public ServingOptions Options { get; }
    public ServiceProvider Services { get; }

    /// <param name="promptAppend">Text appended to the sample's system prompt before v1 is registered.</param>
    /// <param name="environment">The environment served (only staging has a stable release).</param>
    /// <param name="configure">Changes the serving core's options before it is built.</param>
    /// <param name="keepLogs">Keeps every service's log lines (<see cref="CapturedLog{T}"/>) instead of discarding them.</param>
    public static async Task<ServingFixture> StartAsync(string? promptAppend = null, string environment = "staging", Func<ServingOptions, ServingOptions>? configure = null, bool keepLogs = false)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gp-serving-" + Guid.NewGuid().ToString("N")[..12]);
        Glidepath.Testing.TempDir.CopySample(dir);
        var manifestPath = Path.Combine(dir, "glidepath.yaml");
        if (promptAppend is not null)
        {
            await File.AppendAllTextAsync(Path.Combine(dir, "prompts", "system.md"), promptAppend);
        }

        var manifest = ManifestParser.Load(manifestPath);
        var store = await SqliteStore.OpenAsync(Path.Combine(dir, ".glidepath", "glidepath.db"), TimeProvider.System, CancellationToken.None);
        var v1 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v1", TimeProvider.System, default), default)).Release;
        var state = await store.Environments.GetAsync(manifest.App, "staging", default);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { StableReleaseId = v1.Id },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "deploy", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);

        var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        var options = ServingOptions.For(store, manifest, environment, models) with
        {
            Rollouts = null,
            Monitor = null,
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        options = configure?.Invoke(options) ?? options;
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), keepLogs ? typeof(CapturedLog<>) : typeof(NullLogger<>))
            .AddGlidepathServing(options)
            .BuildServiceProvider();
        var fixture = new ServingFixture(dir, store, v1, options, services);
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            fixture._started.Add(hosted);
        }

        return fixture;
    }

    public ChatService Chat => Services.GetRequiredService<ChatService>();

    public static ChatCallContext Context(string? subject = null, IReadOnlyDictionary<string, string>? vars = null) => new()
    {
        Api = "sdk",
        Subject = subject,
        Vars = vars,
        Start = TimeProvider.System.GetTimestamp(),
        StartedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Waits for the batch writer to put the trace in the store.</summary>
    public Task<TraceRecord> TraceAsync(string traceId) => StoreWait.TraceAsync(Store, traceId);

    /// <summary>Stops the core's hosted services (last started, first stopped), as a host does when it shuts down; the store stays open.</summary>
    public async Task StopServicesAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        _started.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopServicesAsync();

        await Services.DisposeAsync();
        ((ModelClientFactory)Options.Models).Dispose();
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
