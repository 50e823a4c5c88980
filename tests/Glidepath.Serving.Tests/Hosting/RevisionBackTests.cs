using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Routing;
using Glidepath.Serving.Routing;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// An outside trial put a SQLite backup back under a running gateway: it followed the store from revision 4 back to 3,
/// and its log said only "restored or reopened". The next change is numbered 4 again with other content, so the
/// operator is told the revision went back.
/// </summary>
public sealed class RevisionBackTests
{
    [Fact]
    public async Task Refresh_BackupPutBack_FollowsIt_AndWarnsThatTheRevisionWentBack()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // a file replaced under an open handle
        }

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
        var source = services.GetRequiredService<RoutingTableSource>();
        var log = (CapturedLog<RoutingRefresher>)services.GetRequiredService<ILogger<RoutingRefresher>>();
        await refresher.RefreshAsync(CancellationToken.None);
        var backedUp = source.Current!.Revision;
        await ControllerStoreFileTests.BackUpAsync(path, path + ".backup");
        var state = await store.Environments.GetAsync(manifest.App, "staging", CancellationToken.None);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = state.Revision,
            NewState = state with { Frozen = true, FrozenReason = "later change" },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 0, Kind = "freeze", Actor = "test", Time = DateTimeOffset.UtcNow },
        }, CancellationToken.None);
        await refresher.RefreshAsync(CancellationToken.None);
        Assert.Equal(backedUp + 1, source.Current!.Revision);
        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Warning);

        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        File.Move(path + ".backup", path, overwrite: true);
        await refresher.RefreshAsync(CancellationToken.None);

        Assert.Equal(backedUp, source.Current!.Revision);
        var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
        Assert.StartsWith($"The revision of staging went back from {backedUp + 1} to {backedUp} (a backup put back", warning.Text, StringComparison.Ordinal);
        Assert.Contains($"the next change is numbered {backedUp + 1} again", warning.Text, StringComparison.Ordinal);
    }
}
