using Glidepath.Cli.Tests.Environments;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Cli.Tests.Store;

/// <summary>
/// <c>glidepath store migrate</c> and the schema check every other command (serve included) makes on open: an older
/// store is refused with exit 3 and a message naming the command, a newer one too, and migrate brings an older one up.
/// </summary>
public sealed class StoreMigrateCliTests
{
    [Fact]
    public async Task Commands_OnAnOlderStore_Exit3NamingStoreMigrate_ThenWorkAfterMigrate()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await DowngradeToVersion12Async(app.StorePath);

        var status = await app.RunAsync("status");
        var deploy = await app.RunAsync("history", "--env", "staging");
        var serve = await app.RunAsync("serve", "--env", "staging", "--urls", "http://127.0.0.1:0");
        var migrate = await app.RunAsync("store", "migrate");
        var again = await app.RunAsync("store", "migrate");
        var after = await app.RunAsync("history", "--env", "staging");

        foreach (var (code, _, stderr) in new[] { status, deploy, serve })
        {
            Assert.Equal(3, code);
            Assert.Contains("glidepath store migrate --store " + app.StorePath, stderr, StringComparison.Ordinal);
        }

        Assert.True(migrate.Code == 0, migrate.Stderr);
        Assert.Contains($"schema version 12 → {Latest}", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0013_api_keys", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0014_access_tokens", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0020_shadow", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0021_sign_outs", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0022_capture_dropped", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0023_token_names_any_case", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0024_credential_revocations", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0025_gate_verdict_rule", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0026_alert_delivery", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0027_unfinished_copy", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0028_provider_attempts", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0029_first_token_latency", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0030_one_arm_errors", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0031_cancelled", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0032_judge_spend", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0033_eval_run_leases", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0034_transient_errors", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0035_shadow_claims", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("0036_shadow_claim_holders", migrate.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing to apply", again.Stdout, StringComparison.Ordinal);
        Assert.True(after.Code == 0, after.Stderr);
        Assert.Contains("deploy", after.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_OnANewerStore_Exit3AskingToUpgrade_AndMigrateRefusesToo()
    {
        await using var app = await EnvApp.CreateAsync(1);
        await ExecAsync(app.StorePath, "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2027-01-01T00:00:00Z')");

        var status = await app.RunAsync("status");
        var migrate = await app.RunAsync("store", "migrate", "--format", "json");

        Assert.Equal((3, 3), (status.Code, migrate.Code));
        Assert.Contains("newer than this glidepath knows", status.Stderr, StringComparison.Ordinal);
        Assert.Contains("upgrade glidepath", migrate.Stdout + migrate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_Json_ReportsVersionsAndApplied()
    {
        await using var app = await EnvApp.CreateAsync(0);

        var json = await app.JsonAsync("store", "migrate");

        Assert.Equal(0, json.GetProperty("from_version").GetInt32());
        Assert.Equal(Latest, json.GetProperty("to_version").GetInt32());
        Assert.Equal(Migrations.Length, json.GetProperty("applied").GetArrayLength());
    }

    // What a store written by the release before callers' keys looks like: migrations 0013 and later undone.
    private static Task DowngradeToVersion12Async(string path) => ExecAsync(path, """
        DROP TABLE shadow_claim_holders;
        DELETE FROM schema_migrations WHERE version = 36;
        DROP TABLE shadow_claims;
        DELETE FROM schema_migrations WHERE version = 35;
        ALTER TABLE eval_results DROP COLUMN error_transient;
        DELETE FROM schema_migrations WHERE version = 34;
        DROP TABLE eval_run_leases;
        DELETE FROM schema_migrations WHERE version = 33;
        ALTER TABLE eval_runs DROP COLUMN judge_spend_json;
        DELETE FROM schema_migrations WHERE version = 32;
        ALTER TABLE trace_aggregates DROP COLUMN cancelled;
        DELETE FROM schema_migrations WHERE version = 31;
        ALTER TABLE trace_aggregates DROP COLUMN one_arm_errors;
        DELETE FROM schema_migrations WHERE version = 30;
        ALTER TABLE trace_aggregates DROP COLUMN first_token_count;
        ALTER TABLE trace_aggregates DROP COLUMN log_first_token_sum;
        ALTER TABLE trace_aggregates DROP COLUMN log_first_token_squares;
        DELETE FROM schema_migrations WHERE version = 29;
        ALTER TABLE traces DROP COLUMN attempts;
        ALTER TABLE trace_aggregates DROP COLUMN provider_calls;
        ALTER TABLE trace_aggregates DROP COLUMN retried_calls;
        DELETE FROM schema_migrations WHERE version = 28;
        DROP TABLE unfinished_copy;
        DELETE FROM schema_migrations WHERE version = 27;
        ALTER TABLE monitor_alerts DROP COLUMN delivery_attempts;
        ALTER TABLE monitor_alerts DROP COLUMN delivery_due;
        DELETE FROM schema_migrations WHERE version = 26;
        ALTER TABLE gate_verdicts DROP COLUMN gate_rule;
        ALTER TABLE gate_verdicts DROP COLUMN gate_rule_sha256;
        DELETE FROM schema_migrations WHERE version = 25;
        ALTER TABLE api_keys DROP COLUMN revoked_by;
        ALTER TABLE api_keys DROP COLUMN revoke_reason;
        ALTER TABLE access_tokens DROP COLUMN revoked_by;
        ALTER TABLE access_tokens DROP COLUMN revoke_reason;
        DELETE FROM schema_migrations WHERE version = 24;
        DROP INDEX access_tokens_active_name_any_case;
        CREATE UNIQUE INDEX access_tokens_active_name ON access_tokens (app, name) WHERE revoked_at IS NULL;
        DELETE FROM schema_migrations WHERE version = 23;
        ALTER TABLE traces DROP COLUMN capture_dropped;
        DELETE FROM schema_migrations WHERE version = 22;
        DROP TABLE signed_out_sessions;
        DELETE FROM schema_migrations WHERE version = 21;
        DROP TRIGGER shadow_pairs_no_update;
        DROP TABLE shadow_pairs;
        ALTER TABLE environments DROP COLUMN shadow_id;
        ALTER TABLE environments DROP COLUMN shadow_release_id;
        ALTER TABLE environments DROP COLUMN shadow_rate;
        ALTER TABLE environments DROP COLUMN shadow_max_cost_usd;
        ALTER TABLE environments DROP COLUMN shadow_max_requests;
        DELETE FROM schema_migrations WHERE version = 20;
        DROP TABLE access_tokens;
        DELETE FROM schema_migrations WHERE version = 14;
        DROP INDEX traces_by_key_time;
        DROP TABLE api_keys;
        ALTER TABLE traces DROP COLUMN key_id;
        ALTER TABLE traces DROP COLUMN key_name;
        ALTER TABLE trace_feedback DROP COLUMN key_id;
        DELETE FROM schema_migrations WHERE version = 13;
        """);

    /// <summary>The SQLite migrations this build carries, as their versions: numbering has gaps (0014, then 0020).</summary>
    private static readonly int[] Migrations = [.. typeof(Glidepath.Storage.Sqlite.SqliteStore).Assembly.GetManifestResourceNames()
        .Select(n => System.Text.RegularExpressions.Regex.Match(n, @"Migrations\.(\d{4})_"))
        .Where(m => m.Success)
        .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
        .Order()];

    private static int Latest => Migrations[^1];

    private static async Task ExecAsync(string path, string sql)
    {
        SqlitePools.ClearFile(path);
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
