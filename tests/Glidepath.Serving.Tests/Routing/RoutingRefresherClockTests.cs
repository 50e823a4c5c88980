using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Routing;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tests.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Routing;

/// <summary>
/// Trial longrun #3: the refresher's watchdog measured a hung read and the stale-canary limit with the wall clock, so a
/// step of it during a read logged a hang and, past the limit, withheld the canary. Both are monotonic durations now.
/// </summary>
public sealed class RoutingRefresherClockTests
{
    [Fact]
    public async Task Watch_WallClockStepsPastTheStaleLimitDuringARead_NoHangLoggedAndCanaryKept_UntilTheReadReallyHangsThatLong()
    {
        using var dir = new TempDir();
        TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        await using var store = await SqliteStore.OpenAsync(dir.File(Path.Combine(".glidepath", "glidepath.db")), TimeProvider.System, CancellationToken.None);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        await ControllerStoreFileTests.StartRolloutAsync(store, manifest, dir, TimeProvider.System);
        var fake = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        var clock = new WallClockStep(fake);
        var identity = new HangingIdentity(store);
        var options = ServingOptions.For(store, manifest, "staging", models) with
        {
            Rollouts = null, Monitor = null, RolloutController = null, Time = clock, Identity = identity,
            StaleCanaryLimit = TimeSpan.FromSeconds(60), HungReadAfter = TimeSpan.FromSeconds(5),
        };
        await using var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>)).AddGlidepathServing(options).BuildServiceProvider();
        foreach (var hosted in services.GetServices<IHostedService>().OfType<RoutingStartup>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var refresher = services.GetServices<IHostedService>().OfType<RoutingRefresher>().Single();
        var source = services.GetRequiredService<RoutingTableSource>();
        var log = (CapturedLog<RoutingRefresher>)services.GetRequiredService<ILogger<RoutingRefresher>>();
        Assert.NotNull(source.Current!.Canary);

        identity.Hang();
        var read = refresher.RefreshAsync(CancellationToken.None);
        clock.Step(TimeSpan.FromMinutes(2));
        fake.Advance(TimeSpan.FromSeconds(1));
        refresher.Watch();

        Assert.False(source.Current!.CanaryWithheld);
        Assert.DoesNotContain(log.Lines, l => l.Level == LogLevel.Warning);

        // The read really hangs for the limit: said once, and the canary is withheld.
        fake.Advance(TimeSpan.FromSeconds(59));
        refresher.Watch();
        refresher.Watch();

        Assert.True(source.Current!.CanaryWithheld);
        Assert.Single(log.Lines, l => l.Text.StartsWith("A read of environment staging from the store has not answered for 5 s", StringComparison.Ordinal));
        Assert.Single(log.Lines, l => l.Text.StartsWith("The store of staging has been unreadable for over 60 s", StringComparison.Ordinal));
        identity.Release();
        await read;
        Assert.False(source.Current!.CanaryWithheld);
    }

    /// <summary>The store's identity, read as usual until <see cref="Hang"/>: then every read waits until <see cref="Release"/>.</summary>
    private sealed class HangingIdentity(Glidepath.Storage.IStoreIdentitySource inner) : Glidepath.Storage.IStoreIdentitySource
    {
        private volatile TaskCompletionSource? _gate;

        public void Hang() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => Interlocked.Exchange(ref _gate, null)?.TrySetResult();

        public async Task<Glidepath.Storage.StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
        {
            if (_gate is { } gate)
            {
                await gate.Task.WaitAsync(cancellationToken);
            }

            return await inner.ReadIdentityAsync(cancellationToken);
        }
    }
}
