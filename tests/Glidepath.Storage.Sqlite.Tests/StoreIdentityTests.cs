using Glidepath.Environments;
using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>Issue 13 item 10: a store file deleted or replaced under a running process is noticed and followed.</summary>
public sealed class StoreIdentityTests
{
    private static EnvironmentChange Deploy(long expected, string release) => new()
    {
        App = "app",
        Environment = "production",
        ExpectedRevision = expected,
        NewState = new EnvironmentState { App = "app", Name = "production", StableReleaseId = release, StableSince = DateTimeOffset.UnixEpoch, StableBy = "ana" },
        Event = new EnvironmentEvent { App = "app", Environment = "production", Revision = 0, Kind = "deploy", Actor = "ana", Time = DateTimeOffset.UnixEpoch, ToReleaseId = release },
    };

    [Fact]
    public async Task ReadIdentityAsync_FileDeleted_FailsAndCreatesNothing()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "r1"), default);
        Delete(tmp.DbPath);

        var ex = await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));
        await Assert.ThrowsAnyAsync<Exception>(() => tmp.Store.Environments.GetAsync("app", "production", default));

        Assert.Contains("is gone", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(tmp.DbPath), "a read after the delete created an empty store in its place");
    }

    [Fact]
    public async Task ReadIdentityAsync_FileDeletedThenCreatedAgain_FollowsTheNewStore()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var before = await tmp.Store.ReadIdentityAsync(default);
        Delete(tmp.DbPath);
        await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));
        await using (var created = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default))
        {
            await created.Environments.ApplyAsync(Deploy(0, "fresh"), default);
        }

        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.NotEqual(before.StoreId, after.StoreId);
        Assert.Equal("fresh", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
    }

    [Fact]
    public async Task ReadIdentityAsync_FileReplacedByAnotherStore_FollowsTheNewFile()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "old"), default);
        var before = await tmp.Store.ReadIdentityAsync(default);
        await using var other = await TempSqliteFile.CreateAsync();
        await other.Store.Environments.ApplyAsync(Deploy(0, "new"), default);
        await Checkpoint(other.DbPath);

        // While pooled connections of the first store still hold the old file open.
        Assert.Equal("old", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
        File.Move(other.DbPath, tmp.DbPath, overwrite: true);
        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.NotEqual(before.StoreId, after.StoreId);
        Assert.Equal(1, after.Generation);
        Assert.Equal("new", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
        await tmp.Store.Environments.ApplyAsync(Deploy(1, "newer"), default);
        SqliteConnection.ClearAllPools();
        await using var reopened = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default);
        Assert.Equal("newer", (await reopened.Environments.GetAsync("app", "production", default)).StableReleaseId);
    }

    [Fact]
    public async Task ReadIdentityAsync_CopyOfTheSameStoreMovedOverIt_FollowedAsAnotherGeneration()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // The inode is read on Linux only; elsewhere the store id alone is compared (documented).
        }

        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "r1"), default);
        await Checkpoint(tmp.DbPath);
        File.Copy(tmp.DbPath, tmp.DbPath + ".backup");
        await tmp.Store.Environments.ApplyAsync(Deploy(1, "r2"), default);
        var before = await tmp.Store.ReadIdentityAsync(default);

        File.Move(tmp.DbPath + ".backup", tmp.DbPath, overwrite: true);
        Delete(tmp.DbPath + "-wal");
        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.Equal(before.StoreId, after.StoreId);
        Assert.Equal(before.Generation + 1, after.Generation);
        Assert.Equal("r1", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
    }

    private static async Task Checkpoint(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await cmd.ExecuteNonQueryAsync();
    }

    private static void Delete(string path)
    {
        foreach (var p in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(p);
        }
    }
}
