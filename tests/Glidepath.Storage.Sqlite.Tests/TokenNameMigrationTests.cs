using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Migration 0023: token names become unique in any case in the store itself. A store that already holds working
/// tokens whose names differ only in case migrates without a failure: the oldest keeps its name, each later one is
/// renamed NAME.ID and keeps working.
/// </summary>
public sealed class TokenNameMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_WorkingTokensWhoseNamesDifferOnlyInCase_OldestKeepsItsNameLaterOnesRenamedAndWorking()
    {
        // Inserted out of time order: 'ROOT' first, though 'root' is older; 'Root' was made at the same instant as 'root', after it.
        await OldStore.CreateAsync(DbPath, throughVersion: 22, """
            INSERT INTO access_tokens (id, app, environment, name, role, token_hash, created_at, created_by, revoked_at) VALUES
              ('tok_00000000000000b0', 'app', 'staging', 'ROOT', 'viewer', 'h-b', '2026-11-02T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000a0', 'app', 'production', 'root', 'admin', 'h-a', '2026-11-01T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000c0', 'app', 'staging', 'Root', 'viewer', 'h-c', '2026-11-01T00:00:00.0000000Z', 'x', NULL),
              ('tok_00000000000000d0', 'app', 'staging', 'rOOT', 'viewer', 'h-d', '2026-11-03T00:00:00.0000000Z', 'x', '2026-11-04T00:00:00.0000000Z'),
              ('tok_00000000000000e0', 'other', 'staging', 'ROOT', 'viewer', 'h-e', '2026-11-03T00:00:00.0000000Z', 'x', NULL);
            """);

        var migrated = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Contains("0023_token_names_any_case", migrated.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
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

    public void Dispose()
    {
        SqlitePools.ClearFolder(_dir);
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
