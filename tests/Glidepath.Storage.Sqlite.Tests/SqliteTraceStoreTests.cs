using Glidepath.Storage.Sqlite;
using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteTraceStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 10, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-traces-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_dir, "g.db"), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static TraceRecord Trace(string id, string release, string arm, int status = 200, double latency = 100, double cost = 0.01, DateTimeOffset? at = null) => new()
    {
        TraceId = id,
        App = "app",
        Environment = "staging",
        ReleaseId = release,
        Arm = arm,
        StartedAt = at ?? T0,
        Api = "openai",
        Status = status,
        LatencyMs = latency,
        OverheadMs = 0.2,
        InputTokens = 10,
        OutputTokens = 5,
        CostUsd = cost,
    };

    [Fact]
    public async Task ArmStatsAsync_TwoArms_SumsPerArm()
    {
        await _store.Traces.WriteBatchAsync([Trace("t1", "r1", "stable"), Trace("t2", "r1", "stable", status: 502), Trace("t3", "r2", "canary", latency: 30)], default);
        await _store.Traces.WriteBatchAsync([Trace("t4", "r1", "stable", at: T0.AddMinutes(2))], default);

        var stats = await _store.Traces.ArmStatsAsync("app", "staging", T0.AddSeconds(-5), null, default);

        var stable = Assert.Single(stats, s => s.Arm == "stable");
        Assert.Equal((3L, 1L, 2L), (stable.Count, stable.Errors, stable.LatencyCount));
        Assert.Equal(200, stable.LatencyMsSum, 6); // the 502 is an error, not a latency of the release
        Assert.Equal(2, stable.LatencyHistogram[LatencyBuckets.IndexOf(100)]);
        Assert.Equal(3, stable.Groups.Sum(g => g.Count));
        Assert.Equal(SubjectGroups.Count, stable.Groups.Count);
        var canary = Assert.Single(stats, s => s.Arm == "canary");
        Assert.Equal((1L, 0L, 10L), (canary.Count, canary.Errors, canary.InputTokens));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(59.999)]
    public async Task ArmStatsAsync_AdjacentWindows_NeverCountAMinuteTwice(double secondsIntoMinute)
    {
        // One request per second over three minutes, windows that meet at an arbitrary instant (issue 21 item 2).
        var start = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var traces = Enumerable.Range(0, 180).Select(i => Trace($"w{i}", "r1", "stable", at: start.AddSeconds(i))).ToList();
        await _store.Traces.WriteBatchAsync(traces, default);
        var cut = start.AddMinutes(1).AddSeconds(secondsIntoMinute);

        var before = (await _store.Traces.ArmStatsAsync("app", "staging", start, cut, default)).Sum(s => s.Count);
        var after = (await _store.Traces.ArmStatsAsync("app", "staging", cut, start.AddMinutes(3), default)).Sum(s => s.Count);
        var within = (await _store.Traces.ArmStatsAsync("app", "staging", cut, cut.AddSeconds(0.0005), default)).Sum(s => s.Count);

        Assert.Equal(180, before + after);
        Assert.Equal(60, before);
        Assert.Equal(0, within);
    }

    [Fact]
    public async Task WriteBatchAsync_SameTraceTwice_CountedOnce()
    {
        await _store.Traces.WriteBatchAsync([Trace("t1", "r1", "stable")], default);
        await _store.Traces.WriteBatchAsync([Trace("t1", "r1", "stable")], default);

        var stats = await _store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, default);
        Assert.Equal(1, Assert.Single(stats).Count);
    }

    [Fact]
    public async Task AddFeedbackAsync_UnknownTrace_ReturnsFalse()
    {
        Assert.False(await _store.Traces.AddFeedbackAsync(new FeedbackRecord("nope", 1, null, T0), default));
    }

    [Fact]
    public async Task AddFeedbackAsync_KnownTrace_StoredAndCountedPerArm()
    {
        await _store.Traces.WriteBatchAsync([Trace("t1", "r2", "canary")], default);
        Assert.True(await _store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", -1, "wrong refund window", T0), default));
        Assert.True(await _store.Traces.AddFeedbackAsync(new FeedbackRecord("t1", 0.8, null, T0), default));

        var feedback = await _store.Traces.FeedbackAsync("t1", default);
        Assert.Equal("wrong refund window", feedback[0].Comment);
        var canary = Assert.Single(await _store.Traces.ArmStatsAsync("app", "staging", T0.AddMinutes(-1), null, default));
        Assert.Equal((2L, 1L), (canary.FeedbackCount, canary.FeedbackPositive));
        Assert.Equal(-0.2, canary.FeedbackSum, 6);
    }

    [Fact]
    public async Task ListAsync_ByReleaseAndTime_NewestFirst()
    {
        await _store.Traces.WriteBatchAsync([Trace("a", "r1", "stable", at: T0), Trace("b", "r1", "stable", at: T0.AddSeconds(5)), Trace("c", "r2", "canary", at: T0.AddSeconds(9))], default);

        var list = await _store.Traces.ListAsync(new TraceQuery { App = "app", Environment = "staging", ReleaseId = "r1", Since = T0.AddSeconds(1) }, default);

        Assert.Equal(["b"], list.Select(t => t.TraceId));
        var got = await _store.Traces.GetAsync("c", default);
        Assert.Equal(T0.AddSeconds(9), got!.StartedAt);
    }
}
