using System.Diagnostics;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Monitoring;

public sealed class DriftCheckServiceTests
{
    [Fact]
    public async Task Gateway_ErrorRateUpOnTheSameHourAsYesterday_ItsPeriodicCheckStoresAnAlert()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        await f.SetAsync(s => s with { StableSince = now.AddDays(-2) }, "deploy");
        await f.Store.Traces.WriteBatchAsync(Traces(f, now.AddDays(-1).AddHours(-1), 1500, errorEvery: 100), default);
        await f.Store.Traces.WriteBatchAsync(Traces(f, now.AddHours(-1), 1500, errorEvery: 10), default);

        await f.StartAsync(s => s with { Monitor = f.Store.Monitor, MonitorInterval = TimeSpan.FromMilliseconds(200) });

        var sw = Stopwatch.StartNew();
        IReadOnlyList<Glidepath.Monitoring.DriftAlert> alerts = [];
        while (alerts.Count == 0 && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
            alerts = await f.Store.Monitor.ListAlertsAsync("support-agent", "staging", 10, default);
        }

        var alert = Assert.Single(alerts);
        Assert.Equal("error_rate", alert.Metric);
        Assert.Equal(f.V1.Id, alert.ReleaseId);
    }

    private static List<TraceRecord> Traces(GatewayFixture f, DateTimeOffset from, int count, int errorEvery) =>
        Enumerable.Range(0, count).Select(i => new TraceRecord
        {
            TraceId = Glidepath.Testing.TestTraceIds.Of($"staging/errors-every-{errorEvery}", i),
            App = "support-agent",
            Environment = "staging",
            ReleaseId = f.V1.Id,
            Arm = "stable",
            StartedAt = from + (TimeSpan.FromMinutes(59) * i / count),
            Api = "openai",
            Status = (i + 1) % errorEvery == 0 ? 502 : 200,
            LatencyMs = 300 + (i % 5 * 20),
            OverheadMs = 0.1,
            CostUsd = 0.001,
        }).ToList();
}
