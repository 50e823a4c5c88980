using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>Migration 0010: releases registered before it keep their first registration as provenance record 1.</summary>
public sealed class ReleaseProvenanceMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Migrate_StoreAtMigration9WithDirtyRelease_BackfillsRecordOneThenCleanRegistrationAddsRecordTwo()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 9, """
                INSERT INTO releases (app, version, id, canonical_json, git_commit, dirty, author, created_at, message)
                VALUES ('app', 1, 'aaa', '{}', 'abc', 1, 'ana', '2026-11-26T08:00:00.0000000+00:00', 'first');
                """);

        await SqliteStore.MigrateAsync(DbPath, default);
        await using (var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default))
        {
            var (_, created, added) = await store.Releases.RegisterAsync(new Releases.ReleaseDraft
            {
                Id = "aaa", App = "app", CanonicalJson = "{}", GitCommit = "def", Dirty = false, Author = "ana",
                CreatedAt = new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero),
            }, default);
            var records = await store.Releases.ProvenanceAsync("app", "aaa", default);

            Assert.False(created);
            Assert.Equal(2, added!.Sequence);
            Assert.Equal(new (string?, bool, string?)[] { ("abc", true, "first"), ("def", false, null) }, records.Select(p => (p.GitCommit, p.Dirty, p.Message)));
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
