using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0029: aggregate rows sum the time to first token of answered streams (first_token_latency). A minute stored
/// before the upgrade observed no stream (0), and once written to after it keeps its old sums and adds the stream's.
/// </summary>
public sealed class FirstTokenMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_AggregatesStoredBefore_ObserveNoStream_AndALaterStreamAddsToTheSameMinute()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 28, """
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, latency_histogram)
              VALUES ('app', 'staging', 'r1', 'stable', '2026-11-26T08:00:00.0000000Z', 0, 1, 0, 1, 100, 4.605, 21.2, '{}');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0029_first_token_latency", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var since = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var before = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", since, null, default));
        Assert.Equal((1L, 0L, 0.0), (before.Count, before.FirstTokenCount, before.LogFirstTokenSum));
        await store.Traces.WriteBatchAsync(
        [
            new TraceRecord
            {
                TraceId = "fedcba9876543210fedcba9876543210", App = "app", Environment = "staging", ReleaseId = "r1", Arm = "stable",
                StartedAt = since.AddSeconds(40), Api = "openai", Stream = true, Status = 200, LatencyMs = 900, TimeToFirstTokenMs = 250, OverheadMs = 0.2,
            },
        ], default);

        var stable = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", since, null, default));
        Assert.Equal((2L, 1L), (stable.Count, stable.FirstTokenCount));
        Assert.Equal(Math.Log(250), stable.LogFirstTokenSum, 9);
        Assert.Equal(Math.Log(250) * Math.Log(250), stable.LogFirstTokenSquares, 9);
    }

    public void Dispose()
    {
        SqlitePools.ClearFolder(_dir);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
