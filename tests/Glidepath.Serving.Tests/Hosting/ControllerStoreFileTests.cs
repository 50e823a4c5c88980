using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Win32.SafeHandles;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// The rollout controller as <c>glidepath controller</c> composes it (<c>AddGlidepathController</c>) on a real SQLite file
/// that is deleted under it: the pass says so and writes nothing into the unlinked file (a trial found it went on judging
/// the dead file and renewing its lease there, silently), and a store put back is followed. Passes are driven one by
/// one; no timer decides anything.
/// </summary>
public sealed class ControllerStoreFileTests
{
    private const string Environment = "staging";

    [Fact]
    public async Task Pass_StoreFileDeleted_WarnsWritesNothingToTheDeletedFileAndFollowsTheStorePutBack()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // an unlinked file that stays readable through an open handle
        }

        using var dir = new Glidepath.Testing.TempDir();
        Glidepath.Testing.TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        var path = dir.File(Path.Combine(".glidepath", "glidepath.db"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var store = await SqliteStore.OpenAsync(path, time, CancellationToken.None);
        using var models = new ModelClientFactory(time, PriceTable.For(manifest));
        try
        {
            await StartRolloutAsync(store, manifest, dir, time);
            var options = ServingOptions.For(store, manifest, Environment, models) with
            {
                RolloutController = new RolloutControllerOptions { Holder = "controller:test", Interval = TimeSpan.FromSeconds(1), App = manifest.App, Environment = Environment },
                MonitorInterval = TimeSpan.Zero,
                Time = time,
            };
            await using var services = new ServiceCollection()
                .AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>))
                .AddGlidepathController(options)
                .BuildServiceProvider();
            var controller = services.GetServices<IHostedService>().OfType<RolloutControllerService>().Single();
            var log = (CapturedLog<RolloutControllerService>)services.GetRequiredService<ILogger<RolloutControllerService>>();
            var follower = (CapturedLog<StoreFollower>)services.GetRequiredService<ILogger<StoreFollower>>();

            await controller.PassAsync(CancellationToken.None);
            Assert.Contains(log.Lines, l => l.Text.StartsWith("Controlling the rollout", StringComparison.Ordinal));
            await BackUpAsync(path, path + ".backup");

            // `rm glidepath.db*` with the controller running: the handles kept here read what the unlinked files hold.
            using var db = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var wal = File.OpenHandle(path + "-wal", FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(path + suffix);
            }

            var before = (Bytes(db), Bytes(wal));
            time.Advance(TimeSpan.FromSeconds(1));
            await controller.PassAsync(CancellationToken.None);

            Assert.Equal(before, (Bytes(db), Bytes(wal)));
            var warning = Assert.Single(log.Lines, l => l.Level == LogLevel.Warning);
            Assert.Contains($"the store file {path} is gone", warning.Text, StringComparison.Ordinal);
            Assert.Contains("nothing advances or rolls back meanwhile", warning.Text, StringComparison.Ordinal);
            Assert.False(File.Exists(path)); // nothing made a new, empty store in its place

            time.Advance(TimeSpan.FromSeconds(1));
            await controller.PassAsync(CancellationToken.None);
            Assert.Single(log.Lines, l => l.Level == LogLevel.Warning); // once per outage

            // A backup put back with mv: followed, and the lease is renewed in it.
            File.Move(path + ".backup", path);
            time.Advance(TimeSpan.FromSeconds(1));
            await controller.PassAsync(CancellationToken.None);

            Assert.Single(follower.Lines, l => l.Level == LogLevel.Warning && l.Text == "The store file of staging was restored or reopened (the same store id, another file); following it");
            Assert.Contains(log.Lines, l => l.Text == "rollout controller passes for staging succeed again");
            var lease = await store.Rollouts.LeaseAsync(manifest.App, Environment, CancellationToken.None);
            Assert.Equal(("controller:test", time.GetUtcNow() + TimeSpan.FromSeconds(30)), (lease?.Holder, lease?.ExpiresAt));
        }
        finally
        {
            await store.DisposeAsync();
            Glidepath.Testing.SqlitePools.ClearFolder(dir.Path);
        }
    }

    /// <summary>v1 stable in staging and a rollout of v2 (a changed prompt) started, forced as 'rollout start --force' is.</summary>
    internal static async Task StartRolloutAsync(SqliteStore store, Manifest manifest, Glidepath.Testing.TempDir dir, TimeProvider time)
    {
        var v1 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(manifest, "v1", time, default), default)).Release;
        await File.AppendAllTextAsync(dir.File(Path.Combine("prompts", "system.md")), "\nAlways greet the customer by name.\n");
        var v2 = (await store.Releases.RegisterAsync(await ReleaseDrafts.FromWorkingTreeAsync(ManifestParser.Load(manifest.FilePath), "v2", time, default), default)).Release;
        var state = await store.Environments.GetAsync(manifest.App, Environment, default);
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = Environment,
            ExpectedRevision = state.Revision,
            NewState = state with { StableReleaseId = v1.Id },
            Event = new EnvironmentEvent { App = manifest.App, Environment = Environment, Revision = 0, Kind = "deploy", Actor = "test", Time = time.GetUtcNow() },
        }, default);
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, time);
        var plan = new RolloutPlan
        {
            Steps = [10, 50, 100],
            MinRequests = 30,
            MinSubjects = 0,
            MaxDuration = TimeSpan.FromMinutes(30),
            Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 } },
        };
        await new RolloutService(manifest, environments, store.Environments, store.Rollouts, store.Traces, time)
            .StartAsync(Environment, v2, plan, "ana", "controller test", force: true, CancellationToken.None);
    }

    /// <summary>A copy of the store as it is now (SQLite's own VACUUM INTO: what the -wal holds included), as a backup is made.</summary>
    internal static async Task BackUpAsync(string path, string to)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "VACUUM INTO $to";
        cmd.Parameters.AddWithValue("$to", to);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string Bytes(SafeFileHandle file)
    {
        var bytes = new byte[RandomAccess.GetLength(file)];
        var read = 0;
        while (read < bytes.Length)
        {
            read += RandomAccess.Read(file, bytes.AsSpan(read), read);
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)) + ":" + bytes.Length;
    }
}
