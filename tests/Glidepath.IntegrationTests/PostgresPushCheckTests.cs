using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Routing;
using Glidepath.Serving;
using Glidepath.Serving.Routing;
using Glidepath.Storage;
using Glidepath.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.IntegrationTests;

/// <summary>
/// An outside trial, on PostgreSQL behind PgBouncer in transaction mode: a gateway started without --poll-only had its
/// LISTEN accepted on some pooled server session and never received a notice; its heartbeat passed, its log and /readyz
/// said nothing, and a rollback took the 5 s safety poll. Here the watch LISTENs on another channel than the store's (a
/// test hook), which is as deaf as the pooled LISTEN was: the serving core's probe does not come back, it warns once,
/// and it follows a rollback by polling though its safety poll is an hour. The same trial ran an old gateway on a store
/// a newer build had migrated: the identity read of every poll now carries the schema version, and that is said too.
/// </summary>
public sealed class PostgresPushCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan HourLongPoll = TimeSpan.FromHours(1);

    // A guard against a hang, not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private TestPostgres _db = null!;
    private SampleApp _app = null!;
    private PostgresStore? _store;
    private ModelClientFactory? _models;
    private ServiceProvider? _services;
    private readonly List<IHostedService> _started = [];
    private readonly LineLog _log = new();

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _app = await SampleApp.CreateAsync(storeLocation: _db.ConnectionString);
        Assert.Equal(0, (await _app.CliAsync("deploy", "v2", "--env", "staging")).Exit);
    }

    public async Task DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        _models?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task ListenThatHearsNothing_WarnsOnce_ReadyzSaysSo_AndARollbackIsFollowedByPolling()
    {
        await StartAsync(deaf: true);
        var status = _services!.GetRequiredService<ControlPlaneStatus>();
        var routing = _services!.GetRequiredService<RoutingTableSource>();

        await UntilAsync(() => status.Changes == ChangeFeed.PushesNotArriving, "the probe's loss was never noticed");
        // Two changes: the refresh the lost probe asks for at once may see the first; only polling explains the second.
        await ChangeAsync(routing, "rollback", "--env", "staging", "--reason", "pushed to a deaf gateway");
        var rolledBack = routing.Current!.Stable!.Label;
        await ChangeAsync(routing, "deploy", "v2", "--env", "staging");

        Assert.Equal(await _app.ReleaseLabelAsync(1), rolledBack);
        Assert.Equal(await _app.ReleaseLabelAsync(2), routing.Current!.Stable!.Label);
        var warning = Assert.Single(Log(), l => l.Level == LogLevel.Warning);
        Assert.StartsWith("Changes pushed by the store of staging are not reaching this gateway (a NOTIFY it sent did not come back within 2 s); a connection pooler in transaction mode cannot hold a LISTEN session: run with --poll-only", warning.Text, StringComparison.Ordinal);
        Assert.False(status.Current.Stale); // serving and reading are fine
    }

    [Fact]
    public async Task ListenOnTheServerDirectly_ProbeComesBack_Pushed()
    {
        await StartAsync(deaf: false);
        var status = _services!.GetRequiredService<ControlPlaneStatus>();

        await UntilAsync(() => status.Changes != ChangeFeed.PushedNotCheckedYet, "no probe was ever judged");

        Assert.Equal(ChangeFeed.Pushed, status.Changes);
        Assert.DoesNotContain(Log(), l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task StoreMigratedByANewerGlidepath_LoggedOnceAsAnError_AndReported()
    {
        await StartAsync(deaf: false, pollInterval: TimeSpan.FromMilliseconds(100));
        var status = _services!.GetRequiredService<ControlPlaneStatus>();
        var known = PostgresMigrator.All[^1].Version;

        await TestPostgres.ExecAsync(_db.Database, $"INSERT INTO glidepath.schema_migrations VALUES ({known + 1}, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')");
        await UntilAsync(() => status.NewerSchema is not null, "the newer schema was never noticed");
        // A change made after the migration (by a process that opened the store before it: this build's CLI refuses it now).
        var state = await _app.Store.Environments.GetAsync("support-agent", "staging", default);
        await _app.Store.Environments.ApplyAsync(new Glidepath.Environments.EnvironmentChange
        {
            App = "support-agent",
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Frozen = true, FrozenReason = "after the migration" },
            Event = new Glidepath.Environments.EnvironmentEvent { App = "support-agent", Environment = "staging", Revision = 0, Kind = "freeze", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, default);
        var target = state.Revision + 1;
        var routing = _services!.GetRequiredService<RoutingTableSource>();
        await UntilAsync(() => routing.Current!.Revision >= target, "the freeze was never followed");

        Assert.Equal(new ControlPlaneStatus.SchemaAhead(known + 1, known), status.NewerSchema);
        Assert.True(routing.Current!.Frozen); // changes are still followed
        var error = Assert.Single(Log(), l => l.Level == LogLevel.Error);
        Assert.StartsWith($"The store of staging was migrated to schema {known + 1} by a newer glidepath; this glidepath (schema {known}) may drop what the new version records", error.Text, StringComparison.Ordinal);
    }

    // Runs a CLI change and waits until the serving core's routing table reaches the revision it committed.
    private async Task ChangeAsync(RoutingTableSource routing, params string[] args)
    {
        var (exit, _, err) = await _app.CliAsync(args);
        Assert.True(exit == 0, err);
        var target = await _app.Store.Environments.GetRevisionAsync("support-agent", "staging", default);
        await UntilAsync(() => routing.Current!.Revision >= target, $"glidepath {string.Join(' ', args)} was never followed");
    }

    // The serving core on its own store object (as a gateway has), logging into CapturedLog, every hosted service started.
    private async Task StartAsync(bool deaf, TimeSpan? pollInterval = null)
    {
        _store = (PostgresStore)await new StoreProviders().Add(new PostgresStoreProvider()).OpenAsync(_db.ConnectionString, create: false, TimeProvider.System, default);
        if (deaf)
        {
            _store.ListenChannel = "nobody_notifies_here";
        }

        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        var options = ServingOptions.For(_store, _app.Manifest, "staging", _models) with
        {
            Rollouts = null,
            Monitor = null,
            RolloutController = null,
            PollInterval = pollInterval ?? HourLongPoll,
        };
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Information))
            .AddGlidepathServing(options)
            .BuildServiceProvider();
        foreach (var hosted in _services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            _started.Add(hosted);
        }
    }

    private List<(LogLevel Level, string Text)> Log() => [.. _log.Lines];

    /// <summary>Every line the serving core logs, with its level.</summary>
    private sealed class LineLog : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue((logLevel, formatter(state, exception)));

        public void Dispose()
        {
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Hang, failure);
            await Task.Delay(25);
        }
    }
}
