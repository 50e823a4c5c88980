using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0028: traces record their provider attempts and aggregate rows count provider calls and retried ones. What
/// was stored before counts no call (attempts 0), so retry_rate covers only what was counted; a minute stored before the
/// upgrade and written to after it keeps its old sums and adds the new counts.
/// </summary>
public sealed class ProviderAttemptsMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_TracesAndAggregatesStoredBefore_CountNoCall_AndLaterTracesAddToTheSameMinute()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 27, """
            INSERT INTO traces (trace_id, app, environment, release_id, arm, started_at, api, stream, status, latency_ms, overhead_ms, input_tokens, output_tokens, cost_usd, subject_group)
              VALUES ('0123456789abcdef0123456789abcdef', 'app', 'staging', 'r1', 'stable', '2026-11-26T08:00:10.0000000Z', 'openai', 0, 200, 100, 0.2, 10, 5, 0.01, 0);
            INSERT INTO trace_aggregates (app, environment, release_id, arm, minute, grp, count, errors, latency_count, latency_ms_sum, log_latency_sum, log_latency_squares, latency_histogram)
              VALUES ('app', 'staging', 'r1', 'stable', '2026-11-26T08:00:00.0000000Z', 0, 1, 0, 1, 100, 4.605, 21.2, '{}');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0028_provider_attempts", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        Assert.Equal(0, (await store.Traces.GetAsync("0123456789abcdef0123456789abcdef", default))!.Attempts);
        await store.Traces.WriteBatchAsync(
        [
            new TraceRecord
            {
                TraceId = "fedcba9876543210fedcba9876543210", App = "app", Environment = "staging", ReleaseId = "r1", Arm = "stable",
                StartedAt = new DateTimeOffset(2026, 11, 26, 8, 0, 40, TimeSpan.Zero), Api = "openai", Status = 200, LatencyMs = 100, OverheadMs = 0.2, Attempts = 2,
            },
        ], default);

        var stable = Assert.Single(await store.Traces.ArmStatsAsync("app", "staging", new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), null, default));
        Assert.Equal((2L, 1L, 1L), (stable.Count, stable.ProviderCalls, stable.RetriedCalls));
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
