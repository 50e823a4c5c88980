using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>Migration 0010: releases registered before it keep their first registration as provenance record 1.</summary>
public sealed class ReleaseProvenanceMigrationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-mig-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Open_StoreAtMigration9WithDirtyRelease_BackfillsRecordOneThenCleanRegistrationAddsRecordTwo()
    {
        Directory.CreateDirectory(_dir);
        await using (var old = new SqliteConnection($"Data Source={DbPath}"))
        {
            await old.OpenAsync();
            await ExecAsync(old, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);");
            foreach (var m in SqliteMigrator.All.Where(m => m.Version <= 9))
            {
                await ExecAsync(old, m.Sql);
                await ExecAsync(old, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', '2026-11-01T00:00:00Z');"));
            }

            await ExecAsync(old, """
                INSERT INTO releases (app, version, id, canonical_json, git_commit, dirty, author, created_at, message)
                VALUES ('app', 1, 'aaa', '{}', 'abc', 1, 'ana', '2026-11-26T08:00:00.0000000+00:00', 'first');
                """);
        }

        SqliteConnection.ClearAllPools();
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

        SqliteConnection.ClearAllPools();
    }

    private static async Task ExecAsync(SqliteConnection c, string sql)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
