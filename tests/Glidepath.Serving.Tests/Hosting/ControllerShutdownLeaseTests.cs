using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Serving.Hosting;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// Trial pgoutage (LOW 2): a standby gateway stopped during an outage warned that it "could not give up its lease …
/// another controller takes the rollout over when the lease expires", though it held none and the holder went on judging.
/// Two controllers on one store, the store made unreadable (its file deleted), both stopped: only the holder warns.
/// </summary>
public sealed class ControllerShutdownLeaseTests
{
    private const string Environment = "staging";

    [Fact]
    public async Task Stop_StoreUnreadable_OnlyTheLeaseHolderWarnsThatItCouldNotGiveItUp()
    {
        using var dir = new TempDir();
        TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        var path = dir.File(Path.Combine(".glidepath", "glidepath.db"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 23, 58, 0, TimeSpan.Zero));
        var store = await SqliteStore.OpenAsync(path, time, CancellationToken.None);
        using var models = new ModelClientFactory(time, PriceTable.For(manifest));
        try
        {
            await ControllerStoreFileTests.StartRolloutAsync(store, manifest, dir, time);
            await using var holder = Controller(store, manifest, models, time, "controller:holder");
            await using var standby = Controller(store, manifest, models, time, "controller:standby");
            await Service(holder).PassAsync(CancellationToken.None);
            await Service(standby).PassAsync(CancellationToken.None);
            Assert.Contains(Log(standby).Lines, l => l.Text.StartsWith("On standby for", StringComparison.Ordinal));

            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix); // the store cannot be read: the stop's check of the store fails
            }

            await Service(standby).StopAsync(CancellationToken.None);
            await Service(holder).StopAsync(CancellationToken.None);

            Assert.DoesNotContain(Log(standby).Lines, l => l.Level >= LogLevel.Warning);
            Assert.Contains(Log(standby).Lines, l => l.Level == LogLevel.Debug && l.Text.Contains("held no lease", StringComparison.Ordinal));
            var warning = Assert.Single(Log(holder).Lines, l => l.Level == LogLevel.Warning);
            Assert.Contains("could not give up its lease on shutdown", warning.Text, StringComparison.Ordinal);
        }
        finally
        {
            await store.DisposeAsync();
            SqlitePools.ClearFolder(dir.Path);
        }
    }

    private static ServiceProvider Controller(SqliteStore store, Manifest manifest, ModelClientFactory models, TimeProvider time, string holder) =>
        new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>))
            .AddGlidepathController(ServingOptions.For(store, manifest, Environment, models) with
            {
                RolloutController = new RolloutControllerOptions { Holder = holder, Interval = TimeSpan.FromSeconds(1), App = manifest.App, Environment = Environment },
                MonitorInterval = TimeSpan.Zero,
                Time = time,
            })
            .BuildServiceProvider();

    private static RolloutControllerService Service(ServiceProvider services) => services.GetServices<IHostedService>().OfType<RolloutControllerService>().Single();

    private static CapturedLog<RolloutControllerService> Log(ServiceProvider services) =>
        (CapturedLog<RolloutControllerService>)services.GetRequiredService<ILogger<RolloutControllerService>>();
}
