using Glidepath.Traces;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>Migration 0009: a store written before subject groups keeps its aggregates (as group 0) and gains groups.</summary>
public sealed class SubjectGroupMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_StoreAtMigration8WithAggregates_KeepsThemAsGroupZeroAndWritesGroupsAfter()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 8, """
                INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, count, errors, latency_ms_sum, log_latency_sum, log_latency_squares, latency_histogram)
                VALUES ('app', 'staging', 'r1', 'stable', '2026-11-26T08:00:00.0000000Z', 10, 2, 1000, 46, 212, '[0,0,0,0,10,0,0,0,0,0,0,0,0]');
                """);

        await SqliteStore.MigrateAsync(DbPath, default);
        await using (var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default))
        {
            await store.Traces.WriteBatchAsync(
            [
                new TraceRecord
                {
                    TraceId = "0123456789abcdef0123456789abcdef", App = "app", Environment = "staging", ReleaseId = "r1", Arm = "stable",
                    SubjectHash = "ff00000000000000", StartedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 30, TimeSpan.Zero), Api = "openai",
                    Status = 200, LatencyMs = 120, OverheadMs = 0.1,
                },
            ], default);

            var stats = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), null, default));

            Assert.Equal((11L, 2L, 9L), (stats.Count, stats.Errors, stats.LatencyCount));
            Assert.Equal(10, stats.Groups[0].Count);
            Assert.Equal(1, stats.Groups[SubjectGroups.Of("ff00000000000000", "")].Count);
            Assert.Equal(1, stats.LatencyHistogram.Sum()); // the old histogram's buckets meant other bounds: dropped
        }

        SqlitePools.ClearFolder(_dir);
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
