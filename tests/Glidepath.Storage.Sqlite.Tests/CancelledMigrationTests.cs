using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0031: aggregate rows count the requests the caller closed before the answer ended (cancel_rate). A minute
/// stored before the upgrade counts none (its 499s were summed as answered then), and once written to after it keeps its
/// old sums and adds the cancel.
/// </summary>
public sealed class CancelledMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_AggregatesStoredBefore_CountNoCancel_AndALaterCancelAddsToTheSameMinute()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 30, """
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, latency_histogram)
              VALUES ('app', 'staging', 'r1', 'stable', '2026-11-26T08:00:00.0000000Z', 0, 1, 0, 1, 100, 4.605, 21.2, '{}');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0031_cancelled", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var since = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var before = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", since, null, default));
        Assert.Equal((1L, 0L), (before.Count, before.Cancelled));
        await store.Traces.WriteBatchAsync(
        [
            new TraceRecord
            {
                TraceId = "fedcba9876543210fedcba9876543211", App = "app", Environment = "staging", ReleaseId = "r1", Arm = "stable",
                StartedAt = since.AddSeconds(40), Api = "openai", Stream = true, Status = 499, Error = "client_closed", LatencyMs = 60, OverheadMs = 0.2,
            },
        ], default);

        var stable = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", since, null, default));
        Assert.Equal((2L, 1L, 1L), (stable.Count, stable.Cancelled, stable.LatencyCount));
        Assert.Equal(100, stable.LatencyMsSum, 6);
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
