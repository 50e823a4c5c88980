using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Routing;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// An outside trial: a newer glidepath ran <c>store migrate</c> while an old gateway served the store; the old gateway
/// went on serving and writing, dropped what the new schema records (who revoked a key, and why), and said nothing.
/// The identity read of every poll now carries the schema version: the gateway logs an error once and reports it, and
/// goes on serving (SQLite here; PostgreSQL in the integration tests).
/// </summary>
public sealed class NewerSchemaTests
{
    [Fact]
    public async Task StoreMigratedByANewerGlidepath_LoggedOnceAsAnError_Reported_ServingGoesOn_ClearedWhenItIsBack()
    {
        using var dir = new TempDir();
        TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        var path = dir.File(Path.Combine(".glidepath", "glidepath.db"));
        await using var store = await SqliteStore.OpenAsync(path, TimeProvider.System, CancellationToken.None);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        await ControllerStoreFileTests.StartRolloutAsync(store, manifest, dir, TimeProvider.System);
        var options = ServingOptions.For(store, manifest, "staging", models) with { Rollouts = null, Monitor = null, RolloutController = null };
        await using var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>)).AddGlidepathServing(options).BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>().OfType<RoutingStartup>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var refresher = services.GetServices<IHostedService>().OfType<RoutingRefresher>().Single();
        var status = services.GetRequiredService<ControlPlaneStatus>();
        var source = services.GetRequiredService<RoutingTableSource>();
        var log = (CapturedLog<StoreFollower>)services.GetRequiredService<ILogger<StoreFollower>>();
        var known = Convert.ToInt32(await ScalarAsync(path, "SELECT MAX(version) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture); // a new store: this binary's
        await refresher.RefreshAsync(CancellationToken.None);
        var before = status.NewerSchema;

        await ExecAsync(path, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({known + 1}, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')");
        await FreezeAsync(store, manifest.App);
        await refresher.RefreshAsync(CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);
        var newer = status.NewerSchema;
        var frozen = source.Current!.Frozen;
        var stale = status.Current.Stale;
        await ExecAsync(path, $"DELETE FROM schema_migrations WHERE version = {known + 1}");
        await refresher.RefreshAsync(CancellationToken.None);

        Assert.Null(before);
        Assert.Equal(new ControlPlaneStatus.SchemaAhead(known + 1, known), newer);
        Assert.True(frozen); // changes are still followed
        Assert.False(stale);
        Assert.Null(status.NewerSchema);
        var error = Assert.Single(log.Lines, l => l.Level == LogLevel.Error);
        Assert.Equal(
            $"The store of staging was migrated to schema {known + 1} by a newer glidepath; this glidepath (schema {known}) may drop what the new version records, and its rollout controller neither advances, promotes nor ends a step undecided (harm still rolls back): upgrade it and restart it (it goes on serving meanwhile; logged once)",
            error.Text);
    }

    private static async Task FreezeAsync(SqliteStore store, string app)
    {
        var state = await store.Environments.GetAsync(app, "staging", CancellationToken.None);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = app,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Frozen = true, FrozenReason = "made after the migration" },
            Event = new EnvironmentEvent { App = app, Environment = "staging", Revision = 0, Kind = "freeze", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, CancellationToken.None);
    }

    private static Task ExecAsync(string path, string sql) => ScalarAsync(path, sql);

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}
