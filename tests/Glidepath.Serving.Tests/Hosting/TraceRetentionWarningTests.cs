using Glidepath.Manifests;
using Glidepath.Serving.Hosting;
using Glidepath.Serving.Tests.Support;
using Glidepath.Storage;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Hosting;

/// <summary>
/// An operator trial: a gateway whose clock was two days ahead deleted every trace. Its retention passes now delete
/// nothing and say so once, with both times, until a pass runs again; a later episode is said again.
/// </summary>
public sealed class TraceRetentionWarningTests
{
    private static readonly DateTimeOffset Newest = new(2026, 12, 6, 1, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Retention_ClockTwoDaysPastTheNewestTrace_DeletesNothingAndWarnsOncePerEpisode()
    {
        await using var f = await ServingFixture.StartAsync();
        await f.Store.Traces.WriteBatchAsync([TestTraces.Stable(1) with { StartedAt = Newest }, TestTraces.Stable(2) with { StartedAt = Newest.AddDays(-3) }], default);
        var time = new FakeTimeProvider(Newest.AddDays(2));
        var traces = new PassSignallingTraceStore(f.Store.Traces);
        var settings = f.Options with
        {
            Time = time,
            Traces = traces,
            Manifest = f.Options.Manifest with { Traces = new TracesConfig { Retention = TimeSpan.FromDays(1) } },
        };
        var log = new CapturedLog<TraceRetentionService>();
        using var retention = new TraceRetentionService(settings, new StoreFollower(settings, NullLogger<StoreFollower>.Instance), log);

        await retention.StartAsync(default);
        await traces.PassStartedAsync();
        await NextPassAsync(TimeSpan.FromHours(1)); // the second pass is skipped too
        await NextPassAsync(TimeSpan.FromHours(1));
        var firstEpisode = Warnings();
        var keptWhileSkipped = await f.Store.Traces.GetAsync(TestTraces.Stable(2).TraceId, default) is not null;
        await f.Store.Traces.WriteBatchAsync([TestTraces.Stable(3) with { StartedAt = time.GetUtcNow() }], default);
        await NextPassAsync(TimeSpan.FromHours(1)); // sees the new trace: runs (and, by this clock, deletes both old ones)
        await NextPassAsync(TimeSpan.FromHours(13)); // 13 h past the newest: a new episode
        await NextPassAsync(TimeSpan.FromHours(1));
        await retention.StopAsync(default);

        var line = Assert.Single(firstEpisode);
        Assert.Contains("it is 2026-12-08T01:30:00.0000000+00:00 by the clock it cuts off from, but the newest trace started at 2026-12-06T01:30:00.0000000+00:00, more than 12 hours earlier", line, StringComparison.Ordinal);
        Assert.True(keptWhileSkipped);
        Assert.Equal(2, Warnings().Count);
        Assert.Null(await f.Store.Traces.GetAsync(TestTraces.Stable(2).TraceId, default));
        Assert.NotNull(await f.Store.Traces.GetAsync(TestTraces.Stable(3).TraceId, default));

        List<string> Warnings() => [.. log.Lines.Where(l => l.Level == LogLevel.Warning && l.Text.StartsWith("Trace retention skipped", StringComparison.Ordinal)).Select(l => l.Text)];

        // The next pass has started only once the one before it has finished and logged.
        async Task NextPassAsync(TimeSpan by)
        {
            time.Advance(by);
            await traces.PassStartedAsync();
        }
    }

    /// <summary>Says when a pass starts (reads the clock), so the test knows the one before it has finished.</summary>
    private sealed class PassSignallingTraceStore(ITraceStore inner) : ForwardingTraceStore(inner)
    {
        private readonly SemaphoreSlim _started = new(0);

        public override async Task<TraceClock> ClockAsync(string app, CancellationToken cancellationToken)
        {
            var clock = await Inner.ClockAsync(app, cancellationToken);
            _started.Release();
            return clock;
        }

        public async Task PassStartedAsync() => Assert.True(await _started.WaitAsync(TimeSpan.FromSeconds(30)), "no retention pass started");
    }
}
