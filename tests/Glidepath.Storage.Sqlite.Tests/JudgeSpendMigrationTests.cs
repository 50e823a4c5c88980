using Glidepath.Evals.Runs;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0032: a run keeps what its judge calls cost (<see cref="EvalRun.JudgeSpend"/>). A run stored before the upgrade
/// reads back with none recorded (null: its spend is then its results'), and the spend added after it is kept.
/// </summary>
public sealed class JudgeSpendMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_RunStoredBefore_ReadsWithNoSpendRecorded_AndTakesSpendAddedAfter()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 31, """
            INSERT INTO eval_runs (id, app, kind, release_id, baseline_release_id, dataset_path, dataset_sha256, trials, case_count, tags_json, scorer_version, use_cache, concurrency, status, created_at, finished_at)
              VALUES ('20261207-091748-ab84', 'app', 'gate', 'r1', 'r0', 'evals/x.jsonl', 'd', 10, 300, '[]', 'v', 0, 8, 'finished', '2026-12-07T09:17:48.0000000+00:00', NULL);
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0032_judge_spend", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var before = await store.EvalRuns.GetAsync("app", "20261207-091748-ab84", default);
        Assert.Equal((300, (IReadOnlyList<JudgeSpend>?)null), (before!.CaseCount, before.JudgeSpend));
        await store.EvalRuns.AddJudgeSpendAsync(before.Id, [new JudgeSpend("r1", "llm_judge") { Calls = 2, CostUsd = 0.003m, DearestUsd = 0.0015m }], default);

        var after = Assert.Single((await store.EvalRuns.GetAsync("app", before.Id, default))!.JudgeSpend!);
        Assert.Equal((2, 0.003m, 0.0015m), (after.Calls, after.CostUsd, after.DearestUsd));
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
