using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Storage.Postgres;
using Glidepath.Storage.Schema;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// Only <c>glidepath store migrate</c> changes an existing PostgreSQL schema: opening refuses an older store (naming
/// the command) and a newer one without writing to either; migrate brings an older one up to date once.
/// </summary>
public sealed class PostgresStoreSchemaTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    private static readonly PostgresStoreProvider Provider = new();

    [Fact]
    public async Task Open_OlderStore_RefusedNamingStoreMigrateAndNothingApplied()
    {
        var (schema, location) = await OldStoreAsync(throughVersion: 7);

        var ex = await Assert.ThrowsAsync<StoreSchemaException>(() => Provider.OpenAsync(location, create: true, TimeProvider.System, default));

        Assert.Equal(StoreSchemaState.Outdated, ex.State);
        Assert.Contains("glidepath store migrate --store", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gp-test-only-pw", ex.Message, StringComparison.Ordinal);
        // An outside trial: it suggested 'glidepath store backup', which refuses a PostgreSQL store.
        Assert.Contains($"back the store up (with pg_dump, e.g. 'pg_dump --format=custom --schema={schema} --file=glidepath-backup.dump DATABASE')", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("store backup", ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, await MaxVersionAsync(schema));
    }

    [Fact]
    public async Task Migrate_OlderStore_AppliesTheRestOnceThenOpens()
    {
        var (_, location) = await OldStoreAsync(throughVersion: 7);

        var first = await Provider.MigrateAsync(location, default);
        var second = await Provider.MigrateAsync(location, default);

        Assert.Equal((7, PostgresMigrator.All[^1].Version), (first.FromVersion, first.ToVersion));
        Assert.Equal(PostgresMigrator.All.Where(m => m.Version > 7).Select(m => $"{m.Version:D4}_{m.Name}"), first.Applied);
        Assert.Empty(second.Applied);
        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        Assert.Equal(32, (await store.ReadIdentityAsync(default)).StoreId.Length);
    }

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesTheStoreAndOpenWithoutCreateFindsIt()
    {
        var location = PostgresTestServer.For(database.Name, NewSchema()).ConnectionString;

        var result = await Provider.MigrateAsync(location, default);

        Assert.Equal((0, PostgresMigrator.All.Count), (result.FromVersion, result.Applied.Count));
        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        Assert.NotNull(store);
    }

    [Fact]
    public async Task OpenAndMigrate_NewerStore_RefusedAsNewer()
    {
        var schema = NewSchema();
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;
        await (await Provider.OpenAsync(location, create: true, TimeProvider.System, default)).DisposeAsync();
        var future = PostgresMigrator.All[^1].Version + 1;
        await PostgresTestServer.ExecAsync(database.Name, $"INSERT INTO {schema}.schema_migrations VALUES ({future}, 'from_the_future', '2027-01-01T00:00:00Z')");

        var open = await Assert.ThrowsAsync<StoreSchemaException>(() => Provider.OpenAsync(location, create: false, TimeProvider.System, default));
        var migrate = await Assert.ThrowsAsync<StoreSchemaException>(() => Provider.MigrateAsync(location, default));

        Assert.Equal((StoreSchemaState.Newer, StoreSchemaState.Newer), (open.State, migrate.State));
        Assert.Equal(future, await MaxVersionAsync(schema));
    }

    // An outside trial: a newer build migrated the store under a running old gateway, which went on without a word.
    // Opening refuses such a store; one already open says so with every identity read (the follower logs and reports it).
    [Fact]
    public async Task ReadIdentity_StoreMigratedByANewerGlidepathWhileOpen_ReportsTheNewerVersion()
    {
        var schema = NewSchema();
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;
        await using var store = await Provider.OpenAsync(location, create: true, TimeProvider.System, default);
        var before = await store.ReadIdentityAsync(default);
        var known = PostgresMigrator.All[^1].Version;

        await PostgresTestServer.ExecAsync(database.Name, $"INSERT INTO {schema}.schema_migrations VALUES ({known + 1}, 'from_the_future', '2027-01-01T00:00:00Z')");
        var after = await store.ReadIdentityAsync(default);

        Assert.Equal((known, known, false), (before.SchemaVersion, before.KnownSchemaVersion, before.SchemaIsNewer));
        Assert.Equal((known + 1, known, true), (after.SchemaVersion, after.KnownSchemaVersion, after.SchemaIsNewer));
        Assert.Equal((before.StoreId, before.Generation), (after.StoreId, after.Generation)); // the same store, not another one
    }

    [Fact]
    public async Task Migrate_WorkingTokensWhoseNamesDifferOnlyInCase_OldestKeepsItsNameLaterOnesRenamedAndWorking()
    {
        var (schema, location) = await OldStoreAsync(throughVersion: 22);
        // Inserted out of time order: 'ROOT' first, though 'root' is older; 'Root' was made at the same instant as 'root', after it.
        await PostgresTestServer.ExecAsync(database.Name, $"""
            INSERT INTO {schema}.access_tokens (id, app, environment, name, role, token_hash, created_at, created_by, revoked_at) VALUES
              ('tok_00000000000000b0', 'app', 'staging', 'ROOT', 'viewer', 'h-b', '2026-11-02T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000a0', 'app', 'production', 'root', 'admin', 'h-a', '2026-11-01T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000c0', 'app', 'staging', 'Root', 'viewer', 'h-c', '2026-11-01T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000d0', 'app', 'staging', 'rOOT', 'viewer', 'h-d', '2026-11-03T00:00:00.0000000Z', 'x', '2026-11-04T00:00:00.0000000Z'),
              ('tok_00000000000000e0', 'other', 'staging', 'ROOT', 'viewer', 'h-e', '2026-11-03T00:00:00.0000000Z', 'x', NULL);
            """);

        var migrated = await Provider.MigrateAsync(location, default);

        Assert.Contains("0023_token_names_any_case", migrated.Applied);
        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        var names = (await store.AccessTokens.ListAsync("app", default)).Concat(await store.AccessTokens.ListAsync("other", default)).ToDictionary(t => t.Id, t => t.Name);
        Assert.Equal(new Dictionary<string, string>
        {
            ["tok_00000000000000a0"] = "root",
            ["tok_00000000000000b0"] = "ROOT.tok_00000000000000b0",
            ["tok_00000000000000c0"] = "Root.tok_00000000000000c0",
            ["tok_00000000000000d0"] = "rOOT", // revoked: held to nothing
            ["tok_00000000000000e0"] = "ROOT", // another app
        }, names);
        Assert.Equal("ROOT.tok_00000000000000b0", (await store.AccessTokens.FindAsync("app", "h-b", default))?.Name);
        var refused = await Assert.ThrowsAsync<PolicyException>(() => store.AccessTokens.AddAsync(new AccessToken
        {
            Id = AccessTokenSecret.NewId(), App = "app", Environment = "staging", Name = "rOOt", Role = Role.Viewer,
            TokenHash = "h-new", CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "x",
        }, default));
        Assert.Equal(StoreConflicts.TokenNameTaken("rOOt").Message, refused.Message);
    }

    [Fact]
    public async Task Migrate_KeysAndTokensRevokedBefore0024_KeepTheirTimeWithoutAnActor_AndLaterRevocationsRecordOne()
    {
        var (schema, location) = await OldStoreAsync(throughVersion: 23);
        await PostgresTestServer.ExecAsync(database.Name, $"""
            INSERT INTO {schema}.access_tokens (id, app, environment, name, role, token_hash, created_at, created_by, revoked_at) VALUES
              ('tok_00000000000000a0', 'app', 'staging', 'old', 'viewer', 'h-a', '2026-11-01T00:00:00.0000000Z', 'x', '2026-11-02T00:00:00.0000000Z'),
              ('tok_00000000000000b0', 'app', 'staging', 'alice', 'viewer', 'h-b', '2026-11-01T00:00:00.0000000Z', 'x', NULL);
            INSERT INTO {schema}.api_keys (id, app, environment, name, key_hash, rpm, budget_usd_per_day, created_at, created_by, revoked_at) VALUES
              ('key_00000000000000a0', 'app', 'staging', 'svc', 'k-a', NULL, NULL, '2026-11-01T00:00:00.0000000Z', 'x', '2026-11-02T00:00:00.0000000Z');
            """);

        var migrated = await Provider.MigrateAsync(location, default);

        Assert.Contains("0024_credential_revocations", migrated.Applied);
        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        var old = (await store.AccessTokens.ListAsync("app", default))[0];
        var key = Assert.Single(await store.ApiKeys.ListAsync("app", null, default));
        var revokedBefore = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((revokedBefore, (string?)null, (string?)null), (old.RevokedAt!.Value, old.RevokedBy, old.RevokeReason));
        Assert.Equal((revokedBefore, (string?)null, (string?)null), (key.RevokedAt!.Value, key.RevokedBy, key.RevokeReason));
        var alice = await store.AccessTokens.RevokeAsync("app", "tok_00000000000000b0", new Revocation(revokedBefore.AddDays(1), "token:root", null), default);
        Assert.Equal(("token:root", (string?)null), (alice!.RevokedBy, alice.RevokeReason));
    }

    // Migration 0025: a pass stored before verdicts recorded their gate rule has none after the upgrade, so it counts for nothing.
    [Fact]
    public async Task Migrate_PassStoredBefore0025_HasNoRuleAndNoLongerCounts_AndLaterVerdictsKeepTheirRule()
    {
        var (schema, location) = await OldStoreAsync(throughVersion: 24);
        await PostgresTestServer.ExecAsync(database.Name, $"""
            INSERT INTO {schema}.gate_verdicts (id, app, candidate_release_id, baseline_release_id, dataset_sha256, result, judge_version, created_at, details_json) VALUES
              ('gv-old', 'app', 'c3', 'b2', 'd5', 'pass', 'scorers-1', '2026-11-01T00:00:00.0000000Z', '{"cases":1}');
            """);

        var migrated = await Provider.MigrateAsync(location, default);

        Assert.Contains("0025_gate_verdict_rule", migrated.Applied);
        await using var store = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        var old = Assert.Single(await store.GateVerdicts.ListAsync("app", "c3", default));
        Assert.Equal(((string?)null, (string?)null), (old.GateRule, old.GateRuleSha256));
        var today = new Glidepath.Evals.Gate.GateBasis("evals/cases.jsonl", "d5", "scorers-1", new Glidepath.Evals.Gate.VerdictRule(0, 0, 0.95, 1, 20240611, 2000));
        Assert.False(Glidepath.Evals.Gate.CountingVerdict.Find([old], "c3", "b2", today).Passed);
        await store.GateVerdicts.SaveAsync(old with { Id = "gv-new", CreatedAt = old.CreatedAt.AddDays(1), GateRule = today.Rule.Json, GateRuleSha256 = today.Rule.Sha256 }, default);
        Assert.True(Glidepath.Evals.Gate.CountingVerdict.Find(await store.GateVerdicts.ListAsync("app", "c3", default), "c3", "b2", today).Passed);
    }

    private async Task<(string Schema, string Location)> OldStoreAsync(int throughVersion)
    {
        var schema = NewSchema();
        // One transaction, as the migrator runs each migration in one: 0023 locks a table, which only a transaction may.
        var sql = new System.Text.StringBuilder($"""
            BEGIN;
            CREATE SCHEMA {schema};
            CREATE TABLE {schema}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL);
            SET search_path TO {schema};
            """);
        foreach (var m in PostgresMigrator.All.Where(m => m.Version <= throughVersion))
        {
            sql.AppendLine(m.Sql).AppendLine(System.FormattableString.Invariant($"INSERT INTO {schema}.schema_migrations VALUES ({m.Version}, '{m.Name}', '2026-11-01T00:00:00Z');"));
        }

        sql.AppendLine("COMMIT;");
        await PostgresTestServer.ExecAsync(database.Name, sql.ToString());
        return (schema, PostgresTestServer.For(database.Name, schema).ConnectionString);
    }

    private async Task<int> MaxVersionAsync(string schema) =>
        (int)(await PostgresTestServer.ScalarAsync(database.Name, $"SELECT max(version) FROM {schema}.schema_migrations"))!;

    private static string NewSchema() => "s_" + Guid.NewGuid().ToString("N");
}
