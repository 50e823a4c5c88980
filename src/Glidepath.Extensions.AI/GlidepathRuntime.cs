using System.Diagnostics.Metrics;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Routing;
using Glidepath.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Extensions.AI;

/// <summary>
/// Glidepath's serving core inside an app: on start it reads the manifest, opens the store and loads the environment's
/// routing table (failing the start when it cannot: an app never serves without a table), then keeps the table fresh,
/// writes traces and scores sampled answers in the background, exactly as the gateway does. Registered by
/// <c>AddGlidepath</c> as a hosted service; an app without a host calls <see cref="StartAsync"/> and <see cref="DisposeAsync"/>.
/// </summary>
/// <remarks>
/// A stop takes no new calls, waits for the calls in flight to finish (until the host's shutdown timeout; 30 s when
/// the stop has none, as <see cref="DisposeAsync"/>), then stops the background services in the reverse order they
/// started, the trace writer last, so the trace of every call that finished is written before the stop returns. A
/// call still running when the wait ends, and a trace that cannot be written, are counted in the log.
/// </remarks>
public sealed class GlidepathRuntime : IHostedService, IAsyncDisposable
{
    private readonly GlidepathOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly IMeterFactory? _meters;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<IHostedService> _started = [];
    private ServiceProvider? _services;
    private IGlidepathStore? _ownedStore;
    private IDisposable? _ownedModels;
    private volatile ChatService? _chat;

    /// <summary>Whether it ran and was stopped, so a late call is told so rather than to start a host that did.</summary>
    private volatile bool _stopped;
    private ControlPlaneStatus? _status;
    private ReleaseReadiness? _readiness;
    private int _disposed;

    /// <summary>Calls begun (<see cref="BeginCall"/>) and not yet ended; a stop waits for them.</summary>
    private readonly CallsInFlight _inFlight;

    /// <summary>Creates the runtime; nothing is read until <see cref="StartAsync"/>.</summary>
    public GlidepathRuntime(GlidepathOptions options, ILoggerFactory loggers, IMeterFactory? meters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        _options = options;
        _loggers = loggers;
        _meters = meters;
        _inFlight = new CallsInFlight(options.Time);
    }

    /// <summary>The serving core, once started.</summary>
    public ChatService Chat => _chat ?? throw NotRunning();

    private InvalidOperationException NotRunning() => new(_stopped
        ? "Glidepath has stopped (its host stopped, or the runtime was disposed): calls are not routed after that"
        : "Glidepath has not started: AddGlidepath registers it as a hosted service, so start the host first (or call GlidepathRuntime.StartAsync)");

    /// <summary>
    /// Begins a call: the serving core to route it on, counted as in flight until <see cref="EndCall"/> (a stop waits for
    /// it, so its trace is written). Throws as <see cref="Chat"/> does when the runtime has not started or has stopped.
    /// </summary>
    internal ChatService BeginCall()
    {
        // Counted before the core is read: a stop clears the core first and counts after, so it sees this call or this call sees no core.
        _inFlight.Begin();
        if (_chat is { } chat)
        {
            return chat;
        }

        // Not counted, so never handed out: reading the core again could find it set by a start meanwhile, and the call
        // would then end (EndCall) without having been counted.
        EndCall();
        throw NotRunning();
    }

    /// <summary>Ends a call begun with <see cref="BeginCall"/>, once its trace was recorded.</summary>
    internal void EndCall() => _inFlight.End();

    /// <summary>The clock calls are timed with.</summary>
    internal TimeProvider Time => _options.Time;

    /// <summary>Whether the start completed and calls can be routed.</summary>
    public bool IsStarted => _chat is not null;

    /// <summary>
    /// Whether the store could be read at the last poll. When it cannot, calls keep being routed on the last routing table
    /// (fail static) and this reports stale, with since when and why: report it in the app's readiness for its control plane.
    /// </summary>
    public ControlPlaneStatus.StatusSnapshot ControlPlane => Status.Current;

    /// <summary>
    /// How the store's changes reach this app: <see cref="ChangeFeed.Polled"/> (SQLite, or <see cref="GlidepathOptions.FollowPushes"/>
    /// off), pushed (PostgreSQL LISTEN/NOTIFY; <see cref="ChangeFeed.PushedNotCheckedYet"/> until the first probe is judged,
    /// about 2 s), or <see cref="ChangeFeed.PushesNotArriving"/> (a pooler in transaction mode: the app polls every 200 ms
    /// meanwhile and says so once in its log), or <see cref="ChangeFeed.Reconnecting"/> (the LISTEN connection is lost, in a
    /// database outage or restart, until it is made again: changes arrive by the poll only). Calls are served in every
    /// state: report it, do not fail traffic on it.
    /// </summary>
    public ChangeFeed Changes => Status.Changes;

    /// <summary>
    /// Set while the store is at a schema newer than this app's Glidepath knows (a newer glidepath migrated it): the app
    /// goes on serving and following changes, but its traces may lack what the new schema records, so upgrade the app's
    /// Glidepath packages. Null otherwise. A gateway's <c>/readyz</c> says <c>control_plane: outdated</c> for it.
    /// </summary>
    public ControlPlaneStatus.SchemaAhead? NewerSchema => Status.NewerSchema;

    private ControlPlaneStatus Status => _status ?? throw new InvalidOperationException("Glidepath has not started");

    /// <summary>
    /// The releases of the routing table in service whose model client cannot be built here (their provider's key variable
    /// is not set, say), checked when the table is loaded, as a gateway's <c>/readyz</c> does: a call routed to one with
    /// <see cref="GlidepathMode.ReleaseProvider"/> fails; one with <see cref="GlidepathMode.InnerClient"/> does not use it.
    /// </summary>
    public ReleaseReadiness.Snapshot ReleaseProviders => (_readiness ?? throw new InvalidOperationException("Glidepath has not started")).Current;

    /// <summary>
    /// A chat client on this runtime whose answers come from the routed release's own model
    /// (<see cref="GlidepathMode.ReleaseProvider"/>): for apps without dependency injection. It has no inner client.
    /// </summary>
    public GlidepathChatClient CreateChatClient() => new(new ReleaseProviderOnly(), this);

    /// <summary>
    /// Reads the manifest, opens the store, loads the routing table and starts the background services. A runtime that was
    /// disposed cannot start again (<see cref="ObjectDisposedException"/>): create a new one.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw Disposed();
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            throw Disposed(); // disposed between the check and the wait
        }

        try
        {
            if (_services is not null)
            {
                return;
            }

            await StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopCoreAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops routing refreshes and writes the traces still queued (briefly), then releases the store.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await StopCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ObjectDisposedException Disposed() =>
        new(nameof(GlidepathRuntime), "this GlidepathRuntime was disposed and cannot start again: create a new one (AddGlidepath makes one per host)");

    /// <summary>Stops the runtime if it runs; a second call does nothing (a host disposes it as a singleton and as a hosted service).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _gate.Dispose();
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var manifestPath = Path.GetFullPath(_options.Manifest);
        if (!File.Exists(manifestPath))
        {
            throw new BadInputException($"{manifestPath}: no such manifest; set GlidepathOptions.Manifest to the app's glidepath.yaml");
        }

        var manifest = ManifestParser.Load(manifestPath);
        if (_options.App is { Length: > 0 } app && !string.Equals(app, manifest.App, StringComparison.Ordinal))
        {
            throw new BadInputException($"{manifestPath} declares app '{manifest.App}', not '{app}'; point GlidepathOptions.Manifest at {app}'s glidepath.yaml");
        }

        var store = _options.StoreInstance;
        if (store is null)
        {
            var location = _options.Store ?? System.Environment.GetEnvironmentVariable("GLIDEPATH_STORE");
            if (string.IsNullOrWhiteSpace(location))
            {
                location = Path.Combine(manifest.BaseDirectory, ".glidepath", "glidepath.db");
            }

            store = _ownedStore = await _options.StoreProviders.OpenAsync(location, create: false, _options.Time, cancellationToken).ConfigureAwait(false);
        }

        var models = _options.Models;
        if (models is null)
        {
            var factory = new ModelClientFactory(_options.Time, PriceTable.For(manifest), loggerFactory: _loggers);
            _ownedModels = factory;
            models = factory;
        }

        var serving = SdkServing.For(_options, store, manifest, models);
        var services = new ServiceCollection();
        services.AddSingleton(_loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (_meters is not null)
        {
            services.AddSingleton(_meters);
        }

        services.AddGlidepathServing(serving);
        _services = services.BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(cancellationToken).ConfigureAwait(false);
            _started.Add(hosted);
        }

        _status = _services.GetRequiredService<ControlPlaneStatus>();
        _readiness = _services.GetRequiredService<ReleaseReadiness>();
        _chat = _services.GetRequiredService<ChatService>();
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        _stopped |= _chat is not null;
        var drained = _inFlight.Draining();
        Interlocked.Exchange(ref _chat, null);
        await _inFlight.WaitAsync(drained, _loggers.CreateLogger<GlidepathRuntime>(), cancellationToken).ConfigureAwait(false);
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(cancellationToken).ConfigureAwait(false);
        }

        _started.Clear();
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
            _services = null;
        }

        _ownedModels?.Dispose();
        _ownedModels = null;
        if (_ownedStore is not null)
        {
            await _ownedStore.DisposeAsync().ConfigureAwait(false);
            _ownedStore = null;
        }
    }
}
