using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tests.Support;
using Glidepath.Storage;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Routing;

/// <summary>
/// Trial pgoutage LOW 4 (left over): a gateway with no traffic learnt that its store was gone only at its next poll, since
/// nothing else reads the store; its control plane said ok meanwhile though the watch had already lost its connection.
/// </summary>
public sealed class RoutingRefresherLostWatchTests
{
    [Fact]
    public async Task WatchLosesItsConnection_TheStoreIsReadAtOnce_AndTheControlPlaneTurnsStaleWithoutWaitingForThePoll()
    {
        using var dir = new TempDir();
        TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        await using var store = await SqliteStore.OpenAsync(dir.File(Path.Combine(".glidepath", "glidepath.db")), TimeProvider.System, CancellationToken.None);
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(manifest));
        await Hosting.ControllerStoreFileTests.StartRolloutAsync(store, manifest, dir, TimeProvider.System);

        // Time stands still: no poll interval ever passes, so only a notice can make the refresher read.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var identity = new FailingIdentity(store);
        var watch = new ControlledWatch();
        var options = ServingOptions.For(store, manifest, "staging", models) with
        {
            Rollouts = null, Monitor = null, RolloutController = null, Time = time, Identity = identity, Watch = watch,
        };
        await using var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>)).AddGlidepathServing(options).BuildServiceProvider();
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        try
        {
            var status = services.GetRequiredService<ControlPlaneStatus>();
            await watch.Listening.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(status.Current.Stale);

            identity.Fail();
            watch.Lose();

            // Waits for the read the lost watch causes (without the fix none comes: time is frozen, so this fails at 30 s).
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!status.Current.Stale && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.True(status.Current.Stale, "the control plane still said ok after the watch lost its connection and the store failed");
            Assert.Contains("store unreachable (test)", status.Current.Reason ?? "", StringComparison.Ordinal);
        }
        finally
        {
            foreach (var service in Enumerable.Reverse(hosted))
            {
                await service.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The store's identity, read as usual until <see cref="Fail"/>: then every read fails as an unreachable store does.</summary>
    private sealed class FailingIdentity(IStoreIdentitySource inner) : IStoreIdentitySource
    {
        private volatile bool _failing;

        public void Fail() => _failing = true;

        public Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken) =>
            _failing ? throw new IOException("store unreachable (test)") : inner.ReadIdentityAsync(cancellationToken);
    }

    /// <summary>
    /// A watch that reports <see cref="RevisionNotice.Lost"/> on <see cref="Lose"/> and nothing else (no resync: that would
    /// make the refresher read, racing the test's failing store); probes never come back.
    /// </summary>
    private sealed class ControlledWatch : IRevisionWatch
    {
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Action<RevisionNotice>? _changed;

        public Task Listening => _listening.Task;

        public void Lose() => _changed!(RevisionNotice.Lost);

        public async Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken)
        {
            _changed = changed;
            _listening.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        public Task ProbeAsync(string token, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
