using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Storage.Sqlite;
using Glidepath.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// An operator trial: retention deletes feedback with its traces, and the drift monitor reads feedback from those rows,
/// so with <c>traces.retention</c> under its 7-day reference (plus the window) the feedback metric could never alert,
/// and nothing said so. The drift check now warns once when it starts.
/// </summary>
public sealed class DriftRetentionWarningTests
{
    [Theory]
    [InlineData("1d", true)]
    [InlineData("7d", true)]
    [InlineData("8d", false)]
    public async Task DriftCheck_RetentionShorterThanTheReference_WarnsOnceThatFeedbackCannotAlert(string retention, bool warns)
    {
        using var dir = new Glidepath.Testing.TempDir();
        Glidepath.Testing.TempDir.CopySample(dir.Path);
        await File.AppendAllTextAsync(dir.File("glidepath.yaml"), $"\ntraces: {{ retention: {retention} }}\n");
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var store = await SqliteStore.OpenAsync(dir.File(Path.Combine(".glidepath", "glidepath.db")), time, CancellationToken.None);
        using var models = new ModelClientFactory(time, PriceTable.For(manifest));
        try
        {
            var options = ServingOptions.For(store, manifest, "staging", models) with { MonitorInterval = TimeSpan.FromMinutes(5), Time = time };
            await using var services = new ServiceCollection()
                .AddSingleton(typeof(ILogger<>), typeof(CapturedLog<>))
                .AddGlidepathController(options)
                .BuildServiceProvider();
            var drift = services.GetServices<IHostedService>().OfType<DriftCheckService>().Single();
            var log = (CapturedLog<DriftCheckService>)services.GetRequiredService<ILogger<DriftCheckService>>();

            await drift.StartAsync(CancellationToken.None);
            await drift.StopAsync(CancellationToken.None);

            var lines = log.Lines.Where(l => l.Text.Contains("feedback metric can never alert", StringComparison.Ordinal)).ToList();
            if (warns)
            {
                var line = Assert.Single(lines);
                Assert.Equal(LogLevel.Warning, line.Level);
                Assert.True(line.Text.Contains($"traces.retention is {retention} but the drift monitor's reference reaches back 7d 1h", StringComparison.Ordinal), line.Text);
                Assert.Contains("Keep traces at least 8d", line.Text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Empty(lines);
            }
        }
        finally
        {
            await store.DisposeAsync();
            Glidepath.Testing.SqlitePools.ClearFolder(dir.Path);
        }
    }
}
