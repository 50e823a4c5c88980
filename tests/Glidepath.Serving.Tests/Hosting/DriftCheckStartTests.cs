using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving.Hosting;
using Glidepath.Storage.InMemory;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// Trial "drift" #7 and #3: the built-in drift check ran first one interval (5 minutes) after start, so a gateway
/// restarted more often never checked; and it always compared 1 hour, whatever the traffic. It now checks as the host
/// starts — with the clock standing still, nothing waits on a timer — over the window the options give.
/// </summary>
public sealed class DriftCheckStartTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 12, 15, 0, 0, TimeSpan.Zero);

    // Errors went 1% → 20% over the last 6 hours but the last hour had no request: a 6-hour window sees it, a 1-hour one cannot.
    [Theory]
    [InlineData(360, true)]
    [InlineData(60, false)]
    public async Task DriftCheck_HostStarts_ChecksAtOnceOverTheConfiguredWindow(int windowMinutes, bool alerts)
    {
        using var dir = new Glidepath.Testing.TempDir();
        Glidepath.Testing.TempDir.CopySample(dir.Path);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        var time = new FakeTimeProvider(Now);
        var store = new InMemoryStore();
        await store.Environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = "staging",
            ExpectedRevision = 0,
            NewState = new EnvironmentState { App = manifest.App, Name = "staging", Revision = 1, StableReleaseId = "r1", StableSince = Now.AddDays(-3), StableBy = "test" },
            Event = new EnvironmentEvent { App = manifest.App, Environment = "staging", Revision = 1, Kind = "deploy", Actor = "test", Time = Now.AddDays(-3), ToReleaseId = "r1" },
        }, default);
        await store.Traces.WriteBatchAsync([.. Traces(manifest.App, Now.AddDays(-1).AddHours(-6), TimeSpan.FromHours(6), errorEvery: 100),
            .. Traces(manifest.App, Now.AddHours(-6), TimeSpan.FromHours(5), errorEvery: 5)], default);
        using var models = new ModelClientFactory(time, PriceTable.For(manifest));
        var options = ServingOptions.For(store, manifest, "staging", models) with
        {
            MonitorInterval = TimeSpan.FromMinutes(5),
            MonitorWindow = TimeSpan.FromMinutes(windowMinutes),
            Time = time,
        };
        await using var services = new ServiceCollection()
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(CapturedLog<>))
            .AddGlidepathController(options).BuildServiceProvider();
        var drift = services.GetServices<IHostedService>().OfType<DriftCheckService>().Single();

        await drift.StartAsync(CancellationToken.None);
        try
        {
            // A guard against a hang only: the clock never moves, so a check that waits for its first interval never comes.
            await drift.FirstCheck.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await drift.StopAsync(CancellationToken.None);
        }

        var raised = await store.Monitor.ListAlertsAsync(manifest.App, "staging", 10, default);
        Assert.Equal(Now, time.GetUtcNow());
        Assert.Equal(alerts ? ["error_rate"] : [], raised.Select(a => a.Metric).ToArray());
    }

    private static IEnumerable<TraceRecord> Traces(string app, DateTimeOffset from, TimeSpan span, int errorEvery) =>
        Enumerable.Range(0, 600).Select(i => new TraceRecord
        {
            TraceId = $"{from:yyyyMMddHH}-{i:D4}",
            App = app,
            Environment = "staging",
            ReleaseId = "r1",
            Arm = "stable",
            StartedAt = from + (span * i / 600),
            Api = "openai",
            Status = (i + 1) % errorEvery == 0 ? 502 : 200,
            LatencyMs = 300 + (i % 5 * 20),
            OverheadMs = 0.1,
            CostUsd = 0.001,
        });
}
