using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Serving.Hosting;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// The settle window as the hosts compose the controller (outside trial "pgops" #1): a gateway whose own trace writer
/// keeps traces it could not write does not advance, nor for 30 s after it writes again; and a pass that fails before
/// the tick (the store file gone) holds advancing as a failed tick does. On a real SQLite file, passes driven one by one
/// on a fake clock (the rollout of <see cref="ControllerStoreFileTests.StartRolloutAsync"/>: 10% → 50% → 100%).
/// </summary>
public sealed class ControllerSettleTests
{
    private const string Environment = "staging";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Pass_GatewaysTraceWriterKeepsTraces_HoldsAdvancingUntilTheWindowAfterItWritesAgain()
    {
        await using var host = await Host.StartAsync(gateway: true);
        var writes = host.Services.GetRequiredService<StoreWriteStatus>();
        writes.Failed(StoreWriteStatus.Writer.Traces, StoreWriteState.Unreachable, host.Services.GetRequiredService<ServingOptions>(), new InvalidOperationException("connection refused"));
        await host.SafeTrafficAsync();

        await host.Controller.PassAsync(CancellationToken.None);

        Assert.Contains(host.Log.Lines, l => l.Text.Contains("holding: the trace writer of this host (controller:test) keeps traces it could not write to the store since 09:00:00 UTC", StringComparison.Ordinal));
        Assert.Equal(10, await host.WeightAsync());

        writes.Succeeded(StoreWriteStatus.Writer.Traces);
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Controller.PassAsync(CancellationToken.None); // written again at 09:00:11: held until 09:00:41
        host.Time.Advance(Window - TimeSpan.FromSeconds(1));
        await host.Controller.PassAsync(CancellationToken.None);
        Assert.Equal(10, await host.WeightAsync());

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Controller.PassAsync(CancellationToken.None);
        Assert.Equal(50, await host.WeightAsync());
    }

    [Fact]
    public async Task Pass_StoreFileGoneThenPutBack_HoldsAdvancingForTheSettleWindow()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // an unlinked file that stays readable through an open handle
        }

        await using var host = await Host.StartAsync(gateway: false);
        await host.Controller.PassAsync(CancellationToken.None);
        await ControllerStoreFileTests.BackUpAsync(host.Path, host.Path + ".backup");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(host.Path + suffix);
        }

        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.Controller.PassAsync(CancellationToken.None); // 09:00:01: the file is gone, the pass fails before the tick
        File.Move(host.Path + ".backup", host.Path);
        await host.SafeTrafficAsync();

        await host.Controller.PassAsync(CancellationToken.None); // 09:00:11: back, held until 09:00:41

        Assert.Contains(host.Log.Lines, l => l.Text.Contains("holding: this controller (controller:test) could not use the store from 09:00:01 until 09:00:11 UTC", StringComparison.Ordinal));
        Assert.Equal(10, await host.WeightAsync());
        host.Time.Advance(Window);
        await host.Controller.PassAsync(CancellationToken.None);
        Assert.Equal(50, await host.WeightAsync());
    }

    /// <summary>A sample app's store with a rollout of v2 in staging, and its controller composed as a gateway or <c>glidepath controller</c> composes it.</summary>
    private sealed class Host : IAsyncDisposable
    {
        private readonly TempDir _dir;
        private readonly SqliteStore _store;
        private readonly ModelClientFactory _models;
        private readonly Manifest _manifest;
        private int _traces;

        private Host(TempDir dir, SqliteStore store, ModelClientFactory models, Manifest manifest, FakeTimeProvider time, ServiceProvider services)
        {
            (_dir, _store, _models, _manifest, Time, Services) = (dir, store, models, manifest, time, services);
            Controller = services.GetServices<IHostedService>().OfType<RolloutControllerService>().Single();
            Log = (CapturedLog<RolloutControllerService>)services.GetRequiredService<ILogger<RolloutControllerService>>();
        }

        public FakeTimeProvider Time { get; }

        public ServiceProvider Services { get; }

        public RolloutControllerService Controller { get; }

        public CapturedLog<RolloutControllerService> Log { get; }

        public string Path => _dir.File(System.IO.Path.Combine(".glidepath", "glidepath.db"));

        public static async Task<Host> StartAsync(bool gateway)
        {
            var dir = new TempDir();
            TempDir.CopySample(dir.Path);
            var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
            var store = await SqliteStore.OpenAsync(dir.File(System.IO.Path.Combine(".glidepath", "glidepath.db")), time, CancellationToken.None);
            var models = new ModelClientFactory(time, PriceTable.For(manifest));
            await ControllerStoreFileTests.StartRolloutAsync(store, manifest, dir, time);
            var options = ServingOptions.For(store, manifest, Environment, models) with
            {
                RolloutController = new RolloutControllerOptions { Holder = "controller:test", Interval = TimeSpan.FromSeconds(1), App = manifest.App, Environment = Environment },
                MonitorInterval = TimeSpan.Zero,
                Time = time,
            };
            var services = new ServiceCollection().AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>));
            _ = gateway ? services.AddGlidepathServing(options) : services.AddGlidepathController(options);
            return new Host(dir, store, models, manifest, time, services.BuildServiceProvider());
        }

        /// <summary>10 s on, 400 canary and 800 stable answers without an error: safe to advance.</summary>
        public async Task SafeTrafficAsync()
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            var state = await _store.Environments.GetAsync(_manifest.App, Environment, CancellationToken.None);
            var batch = new List<TraceRecord>();
            for (var i = 0; i < 1200; i++)
            {
                var canary = i < 400;
                batch.Add(new TraceRecord
                {
                    TraceId = $"{++_traces:x32}",
                    App = _manifest.App,
                    Environment = Environment,
                    ReleaseId = canary ? state.Canary!.ReleaseId : state.StableReleaseId!,
                    Arm = canary ? "canary" : "stable",
                    StartedAt = Time.GetUtcNow(),
                    Api = "openai",
                    Status = 200,
                    LatencyMs = 300,
                    OverheadMs = 0.1,
                });
            }

            await _store.Traces.WriteBatchAsync(batch, CancellationToken.None);
        }

        public async Task<double?> WeightAsync() => (await _store.Environments.GetAsync(_manifest.App, Environment, CancellationToken.None)).Canary?.Weight;

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            _models.Dispose();
            await _store.DisposeAsync();
            SqlitePools.ClearFolder(_dir.Path);
            _dir.Dispose();
        }
    }
}
