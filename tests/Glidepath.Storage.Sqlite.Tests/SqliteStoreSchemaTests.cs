using Glidepath.Storage.Schema;
using Microsoft.Data.Sqlite;
using Glidepath.Testing;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Only <c>glidepath store migrate</c> changes an existing schema: opening refuses an older store (naming the command)
/// and a newer one, and writes nothing to either; migrate brings an older one up to date and refuses a newer one.
/// </summary>
public sealed class SqliteStoreSchemaTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gp-schema-" + Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "g.db");

    [Fact]
    public async Task Open_OlderStore_RefusedNamingStoreMigrateAndNothingApplied()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 11, "SELECT 1;");

        var ex = await Assert.ThrowsAsync<StoreSchemaException>(() => SqliteStore.OpenAsync(DbPath, TimeProvider.System, default));

        Assert.Equal(StoreSchemaState.Outdated, ex.State);
        Assert.Equal((11, SqliteMigrator.All[^1].Version), (ex.StoreVersion, ex.KnownVersion));
        Assert.Contains("glidepath store migrate --store " + DbPath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("back the store up ('glidepath store backup FILE --store " + DbPath + "')", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_dump", ex.Message, StringComparison.Ordinal);
        Assert.Equal(11L, await MaxVersionAsync());
    }

    [Fact]
    public async Task Migrate_OlderStore_AppliesTheRestOnceThenOpens()
    {
        await OldStore.CreateAsync(DbPath, throughVersion: 11, "SELECT 1;");

        var first = await SqliteStore.MigrateAsync(DbPath, default);
        var second = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Equal((11, SqliteMigrator.All[^1].Version), (first.FromVersion, first.ToVersion));
        Assert.Equal(SqliteMigrator.All.Where(m => m.Version > 11).Select(m => $"{m.Version:D4}_{m.Name}"), first.Applied);
        Assert.Empty(second.Applied);
        await using var store = await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default);
        Assert.Equal(32, (await store.ReadIdentityAsync(default)).StoreId.Length);
    }

    [Fact]
    public async Task Migrate_NoFile_CreatesTheStoreAtTheCurrentVersion()
    {
        var result = await SqliteStore.MigrateAsync(DbPath, default);

        Assert.Equal((0, SqliteMigrator.All[^1].Version), (result.FromVersion, result.ToVersion));
        Assert.Equal(SqliteMigrator.All.Count, result.Applied.Count);
    }

    [Fact]
    public async Task OpenAndMigrate_NewerStore_RefusedAsNewerAndNothingWritten()
    {
        await using (await SqliteStore.OpenAsync(DbPath, TimeProvider.System, default))
        {
        }

        var future = SqliteMigrator.All[^1].Version + 1;
        await ExecAsync($"INSERT INTO schema_migrations VALUES ({future}, 'from_the_future', '2027-01-01T00:00:00Z')");

        var open = await Assert.ThrowsAsync<StoreSchemaException>(() => SqliteStore.OpenAsync(DbPath, TimeProvider.System, default));
        var migrate = await Assert.ThrowsAsync<StoreSchemaException>(() => SqliteStore.MigrateAsync(DbPath, default));

        Assert.Equal((StoreSchemaState.Newer, StoreSchemaState.Newer), (open.State, migrate.State));
        Assert.Contains("newer than this glidepath knows", open.Message, StringComparison.Ordinal);
        // Trial pgtwo: it said "an older binary never reads or writes a newer schema", while one already running when the
        // store was migrated goes on serving and writing (docs/stores.md).
        Assert.Contains("an older binary does not start on a newer schema (one already running when the store was migrated goes on", open.Message, StringComparison.Ordinal);
        Assert.Equal((long)future, await MaxVersionAsync());
    }

    private async Task<long> MaxVersionAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT MAX(version) FROM schema_migrations";
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task ExecAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        SqlitePools.ClearFolder(_dir);
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}
