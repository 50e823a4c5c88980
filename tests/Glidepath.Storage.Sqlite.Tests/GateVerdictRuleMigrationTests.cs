using Glidepath.Evals.Gate;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0025: verdicts record the gate rule they were computed under. A pass stored before it has no rule and, after
/// the upgrade, counts for nothing (fail closed): which rule decided it was never recorded.
/// </summary>
public sealed class GateVerdictRuleMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_PassStoredBefore_HasNoRuleAndNoLongerCounts_AndLaterVerdictsKeepTheirRule()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 24, """
            INSERT INTO gate_verdicts (id, app, candidate_release_id, baseline_release_id, dataset_sha256, result, judge_version, created_at, details_json) VALUES
              ('gv-old', 'app', 'c3', 'b2', 'd5', 'pass', 'scorers-1', '2026-11-01T00:00:00.0000000Z', '{}');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0025_gate_verdict_rule", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var old = Assert.Single(await store.GateVerdicts.ListAsync("app", "c3", default));
        Assert.Equal(((string?)null, (string?)null), (old.GateRule, old.GateRuleSha256));
        var today = new GateBasis("evals/cases.jsonl", "d5", "scorers-1", new VerdictRule(0, 0, 0.95, 1, 20240611, 2000));
        var evidence = CountingVerdict.Find([old], "c3", "b2", today);
        Assert.False(evidence.Passed);
        Assert.EndsWith("was stored before verdicts recorded their gate rule, so it counts for nothing", evidence.Describe("v3", "v2"), StringComparison.Ordinal);

        await store.GateVerdicts.SaveAsync(old with { Id = "gv-new", CreatedAt = old.CreatedAt.AddDays(1), GateRule = today.Rule.Json, GateRuleSha256 = today.Rule.Sha256 }, default);
        Assert.True(CountingVerdict.Find(await store.GateVerdicts.ListAsync("app", "c3", default), "c3", "b2", today).Passed);
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
