using Glidepath.Evals.Scorers;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0034: an errored trial keeps whether a resume is expected to fix it (<c>TrialResult.TransientError</c>). A result
/// stored before the upgrade reads back as not transient (as the gate counted every error until then), and a resume's
/// transient error then takes its place.
/// </summary>
public sealed class TransientErrorsMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_ErrorStoredBefore_ReadsAsNotTransient_AndAnErrorInItsPlaceKeepsItsOwn()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 33, """
            INSERT INTO eval_runs (id, app, kind, release_id, baseline_release_id, dataset_path, dataset_sha256, trials, case_count, tags_json, scorer_version, use_cache, concurrency, status, created_at, finished_at)
              VALUES ('20261207-091748-ab84', 'app', 'gate', 'r1', 'r0', 'evals/x.jsonl', 'd', 1, 1, '[]', 'v', 0, 8, 'finished', '2026-12-07T09:17:48.0000000+00:00', NULL);
            INSERT INTO eval_results (run_id, release_id, case_id, trial, status, score, output, tool_calls, latency_ms, cost_usd, input_tokens, output_tokens, scores_json, error, finished_at)
              VALUES ('20261207-091748-ab84', 'r1', 'c1', 0, 'error', NULL, '', '[]', 0, NULL, NULL, NULL, '[]', 'the model call failed: connection refused', '2026-12-07T09:17:49.0000000+00:00');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0034_transient_errors", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var before = Assert.Single(await store.EvalRuns.ResultsAsync("20261207-091748-ab84", default));
        Assert.Equal((TrialStatus.Error, false), (before.Status, before.TransientError));

        await store.EvalRuns.SaveResultsAsync([before with { TransientError = true }], default);
        Assert.True(Assert.Single(await store.EvalRuns.ResultsAsync(before.RunId, default)).TransientError);
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
