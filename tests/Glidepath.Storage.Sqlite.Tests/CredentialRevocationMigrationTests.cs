using Glidepath.Access;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0024: keys and tokens record who revoked them and why. One revoked before it keeps its time and shows no
/// actor (none was recorded); one revoked after it records the actor and the reason.
/// </summary>
public sealed class CredentialRevocationMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_KeysAndTokensRevokedBefore_KeepTheirTimeWithoutAnActor_AndLaterRevocationsRecordOne()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 23, """
            INSERT INTO access_tokens (id, app, environment, name, role, token_hash, created_at, created_by, revoked_at) VALUES
              ('tok_00000000000000a0', 'app', 'staging', 'old', 'viewer', 'h-a', '2026-11-01T00:00:00.0000000Z', 'x', '2026-11-02T00:00:00.0000000Z'),
              ('tok_00000000000000b0', 'app', 'staging', 'alice', 'viewer', 'h-b', '2026-11-01T00:00:00.0000000Z', 'x', NULL);
            INSERT INTO api_keys (id, app, environment, name, key_hash, rpm, budget_usd_per_day, created_at, created_by, revoked_at) VALUES
              ('key_00000000000000a0', 'app', 'staging', 'svc', 'k-a', NULL, NULL, '2026-11-01T00:00:00.0000000Z', 'x', '2026-11-02T00:00:00.0000000Z');
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0024_credential_revocations", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        var old = (await store.AccessTokens.ListAsync("app", default))[0];
        var key = Assert.Single(await store.ApiKeys.ListAsync("app", null, default));
        var revokedBefore = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal((revokedBefore, (string?)null, (string?)null), (old.RevokedAt!.Value, old.RevokedBy, old.RevokeReason));
        Assert.Equal((revokedBefore, (string?)null, (string?)null), (key.RevokedAt!.Value, key.RevokedBy, key.RevokeReason));
        var alice = await store.AccessTokens.RevokeAsync("app", "tok_00000000000000b0", new Revocation(revokedBefore.AddDays(1), "token:root", "left"), default);
        Assert.Equal(("token:root", "left"), (alice!.RevokedBy, alice.RevokeReason));
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
