using Glidepath.Errors;
using Glidepath.Releases;
using Glidepath.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class SqliteReleaseStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "glidepath-sqlite-tests", Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "glidepath.db");

    private static ReleaseDraft Draft(string id, string app = "app") => new()
    {
        Id = id,
        App = app,
        CanonicalJson = $"{{\"x\":\"{id}\"}}",
        Author = "tester",
        CreatedAt = DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        GitCommit = "abc",
        Dirty = true,
        Message = "m",
    };

    [Fact]
    public async Task Register_NewContent_NumbersVersionsPerApp()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);

        var (a, createdA, _) = await store.Releases.RegisterAsync(Draft("aaa"), default);
        var (b, _, _) = await store.Releases.RegisterAsync(Draft("bbb"), default);
        var (other, _, _) = await store.Releases.RegisterAsync(Draft("aaa", app: "other"), default);

        Assert.True(createdA);
        Assert.Equal((1, 2, 1), (a.Version, b.Version, other.Version));
        Assert.Equal("v2", b.Name);
    }

    [Fact]
    public async Task Register_SameContentTwice_ReturnsExisting()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        var (first, _, _) = await store.Releases.RegisterAsync(Draft("aaa"), default);

        var (second, created, _) = await store.Releases.RegisterAsync(Draft("aaa") with { Message = "again" }, default);

        Assert.False(created);
        Assert.Equal(first.Version, second.Version);
        Assert.Equal("m", second.Message);
        Assert.Single(await store.Releases.ListAsync("app", default));
    }

    [Fact]
    public async Task Register_SameContentFromCleanCommit_AppendsProvenanceAndKeepsTheReleaseRow()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        await store.Releases.RegisterAsync(Draft("aaa"), default);

        var (release, created, added) = await store.Releases.RegisterAsync(Draft("aaa") with { GitCommit = "def", Dirty = false, Message = "committed" }, default);
        var records = await store.Releases.ProvenanceAsync("app", "aaa", default);

        Assert.False(created);
        Assert.True(release.Dirty);
        Assert.Equal(2, added!.Sequence);
        Assert.Equal([("abc", true, "m"), ("def", false, "committed")], records.Select(p => (p.GitCommit!, p.Dirty, p.Message!)));
        Assert.Equal([1, 2], records.Select(p => p.Sequence));
    }

    [Fact]
    public async Task Register_SameProvenanceTwice_AddsNoRecord()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        var (_, _, first) = await store.Releases.RegisterAsync(Draft("aaa"), default);

        var (_, _, second) = await store.Releases.RegisterAsync(Draft("aaa") with { CreatedAt = DateTimeOffset.UnixEpoch }, default);

        Assert.Equal(1, first!.Sequence);
        Assert.Null(second);
        Assert.Single(await store.Releases.ProvenanceAsync("app", "aaa", default));
    }

    [Fact]
    public async Task Provenance_Update_RefusedByTrigger()
    {
        await using (var store = await SqliteStore.OpenAsync(DbPath, null, default))
        {
            await store.Releases.RegisterAsync(Draft("aaa"), default);
        }

        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "UPDATE release_provenance SET dirty = 0";

        var ex = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_ByVersionIdAndPrefix_FindsRelease()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        await store.Releases.RegisterAsync(Draft("abcdef1234"), default);
        await store.Releases.RegisterAsync(Draft("abcdef9999"), default);

        Assert.Equal("abcdef1234", (await store.Releases.GetByVersionAsync("app", 1, default))!.Id);
        Assert.Equal(2, (await store.Releases.GetByIdAsync("app", "abcdef9999", default))!.Version);
        Assert.Equal(2, (await store.Releases.FindByIdPrefixAsync("app", "abcdef", default)).Count);
        Assert.Single(await store.Releases.FindByIdPrefixAsync("app", "abcdef12", default));
        Assert.Null(await store.Releases.GetByVersionAsync("app", 9, default));
    }

    [Fact]
    public async Task StoredRelease_UpdateOrDelete_RejectedByDatabase()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        await store.Releases.RegisterAsync(Draft("aaa"), default);
        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();

        foreach (var sql in new[] { "UPDATE releases SET canonical_json = '{}'", "DELETE FROM releases" })
        {
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            var ex = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Contains("releases are immutable", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Open_Twice_AppliesEachMigrationOnce_InWalMode()
    {
        await using (await SqliteStore.OpenAsync(DbPath, null, default))
        {
        }

        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        await using var connection = new SqliteConnection($"Data Source={DbPath}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COUNT(DISTINCT version) FROM schema_migrations";
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(SqliteMigrator.All.Count, reader.GetInt32(0));
        Assert.Equal(reader.GetInt32(0), reader.GetInt32(1));
        await using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await mode.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Register_ConcurrentWriters_AllSucceedWithDistinctVersions()
    {
        await using var store = await SqliteStore.OpenAsync(DbPath, null, default);
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SqliteStore.OpenAsync(DbPath, null, default)));

        var results = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.Releases.RegisterAsync(Draft($"id{i}"), default))));

        Assert.Equal(Enumerable.Range(1, 8), results.Select(r => r.Release.Version).Order());
    }

    [Fact]
    public async Task Open_UnwritableLocation_OperationalError()
    {
        var ex = await Assert.ThrowsAsync<OperationalException>(() => SqliteStore.OpenAsync("/proc/glidepath/x.db", null, default));
        Assert.Equal(FailureKind.Operational, ex.Kind);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
