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

    // An outside trial: a newer build migrated the store under a running old gateway, which went on without a word.
    // Opening refuses such a store; one already open says so with every identity read (the follower logs and reports it).
    [Fact]
    public async Task ReadIdentityAsync_StoreMigratedByANewerGlidepathWhileOpen_ReportsTheNewerVersion()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        var before = await tmp.Store.ReadIdentityAsync(default);
        var known = SqliteMigrator.All[^1].Version;

        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = tmp.DbPath, Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({known + 1}, 'from_the_future', '2027-01-01T00:00:00Z')";
            await cmd.ExecuteNonQueryAsync();
        }

        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.Equal((known, known, false), (before.SchemaVersion, before.KnownSchemaVersion, before.SchemaIsNewer));
        Assert.Equal((known + 1, known, true), (after.SchemaVersion, after.KnownSchemaVersion, after.SchemaIsNewer));
        Assert.Equal((before.StoreId, before.Generation), (after.StoreId, after.Generation)); // the same store, not another one
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

    // A trial: a store file truncated to 0 bytes (a botched restore) was made into a new, empty store and followed, so
    // every request was a 503 "no stable release". It is no store: fail static, nothing written, and a store put back
    // is followed.
    [Fact]
    public async Task ReadIdentityAsync_FileEmptiedUnderTheProcess_FailsStaticWritesNothing_AStorePutBackIsFollowed()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "r1"), default);
        var before = await tmp.Store.ReadIdentityAsync(default);
        Delete(tmp.DbPath);
        await File.WriteAllBytesAsync(tmp.DbPath, []);

        var ex = await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));
        await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));

        Assert.Equal($"the store file {tmp.DbPath} is now an empty file; nothing is read or written until a store is there again", ex.Message);
        Assert.Equal(0, new FileInfo(tmp.DbPath).Length);
        await using (var created = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default))
        {
            await created.Environments.ApplyAsync(Deploy(0, "restored"), default);
        }

        var after = await tmp.Store.ReadIdentityAsync(default);
        Assert.NotEqual(before.StoreId, after.StoreId);
        Assert.Equal("restored", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
    }

    // A trial: the store file moved away and back (the docs' own fail-static example) came back as "another file", so
    // its own -wal — commits its closed connections had not checkpointed — was set aside: a deploy vanished from
    // history and the next change reused its revision. The same file (inode and birth time) keeps its log.
    [Fact]
    public async Task ReadIdentityAsync_FileMovedAwayAndBack_ItsOwnLogKept_NoCommitLost()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        tmp.Store.Database.ClearPool();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "r1"), default);
        var before = await tmp.Store.ReadIdentityAsync(default);
        await tmp.Store.Environments.ApplyAsync(Deploy(1, "r2"), default);
        Assert.True(new FileInfo(tmp.DbPath + "-wal").Length > 0, "the last commit is not in the -wal: the test would not test the log");

        File.Move(tmp.DbPath, tmp.DbPath + ".away");
        await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));
        File.Move(tmp.DbPath + ".away", tmp.DbPath);
        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.Equal(before.StoreId, after.StoreId);
        var state = await tmp.Store.Environments.GetAsync("app", "production", default);
        Assert.Equal(("r2", 2L), (state.StableReleaseId, state.Revision));
        Assert.Empty(Directory.GetFiles(tmp.Dir, "glidepath.db-wal.stale-*"));
    }

    // The other side of the same rule: a file deleted (its -wal left) and a new store created at the path may get the
    // freed inode; its birth time differs, so the old -wal is still set aside, never read into the new store.
    [Fact]
    public async Task ReadIdentityAsync_FileDeletedItsLogLeft_NewStoreCreated_OldLogSetAside()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        tmp.Store.Database.ClearPool();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "old"), default);
        await tmp.Store.ReadIdentityAsync(default);
        await tmp.Store.Environments.ApplyAsync(Deploy(1, "old-2"), default);
        File.Delete(tmp.DbPath);
        await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));
        var aside = Path.Combine(tmp.Dir, "wal.keep");
        File.Move(tmp.DbPath + "-wal", aside);
        await using (var created = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default))
        {
            await created.Environments.ApplyAsync(Deploy(0, "new"), default);
            created.Database.ClearPool();
        }

        File.Move(aside, tmp.DbPath + "-wal", overwrite: true); // the old store's log back beside the new file

        await tmp.Store.ReadIdentityAsync(default);

        Assert.Equal("new", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
    }

    [Fact]
    public async Task ReadIdentityAsync_ReplacedByADatabaseThatHoldsNoStore_NotAdoptedNorWritten()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.ReadIdentityAsync(default);
        var foreign = Path.Combine(tmp.Dir, "other.db");
        await using (var c = new SqliteConnection($"Data Source={foreign};Pooling=False"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');";
            await cmd.ExecuteNonQueryAsync();
        }

        Delete(tmp.DbPath);
        File.Move(foreign, tmp.DbPath);

        var ex = await Assert.ThrowsAsync<OperationalException>(() => tmp.Store.ReadIdentityAsync(default));

        Assert.Contains("holds no Glidepath store", ex.Message, StringComparison.Ordinal);
        await using var check = new SqliteConnection($"Data Source={tmp.DbPath};Pooling=False;Mode=ReadOnly");
        await check.OpenAsync();
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'";
        Assert.Equal("notes", await tables.ExecuteScalarAsync());
    }

    // The old store's last change is still in its -wal when the other file is moved over it; SQLite pairs a -wal with
    // whatever file has the name. Whether the old pooled connections are still open when the move is noticed, or were
    // closed in between (an idle pool pruned, or a pool cleared), the old log must not be read into the new file.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ReadIdentityAsync_FileReplacedByAnotherStore_FollowsTheNewFile(bool oldConnectionsClosedBeforeTheRead)
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        tmp.Store.Database.ClearPool(); // the last connection's close checkpoints and deletes the -wal open saw
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "old"), default);
        var before = await tmp.Store.ReadIdentityAsync(default); // the gateway's poll: this -wal is the store's
        await using var other = await TempSqliteFile.CreateAsync();
        await other.Store.Environments.ApplyAsync(Deploy(0, "new"), default);
        await Checkpoint(other.DbPath);
        other.Store.Database.ClearPool(); // a backup put back is not open anywhere

        // The first store's pooled connections hold the old file (and its -wal) open until the move is noticed.
        Assert.Equal("old", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
        Assert.True(new FileInfo(tmp.DbPath + "-wal").Length > 0, "the old store's last change is not in its -wal: the test would not test the log");
        File.Move(other.DbPath, tmp.DbPath, overwrite: true);
        if (oldConnectionsClosedBeforeTheRead)
        {
            tmp.Store.Database.ClearPool();
        }

        var after = await tmp.Store.ReadIdentityAsync(default);

        Assert.NotEqual(before.StoreId, after.StoreId);
        Assert.Equal(1, after.Generation);
        Assert.Equal("new", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
        Assert.Single(Directory.GetFiles(tmp.Dir, "glidepath.db-wal.stale-*"));

        // Closing every connection to the new file (its checkpoint) must not bring the old store back either.
        tmp.Store.Database.ClearPool();
        Assert.Equal("new", (await tmp.Store.Environments.GetAsync("app", "production", default)).StableReleaseId);
        Assert.Equal(after.StoreId, (await tmp.Store.ReadIdentityAsync(default)).StoreId);
        await tmp.Store.Environments.ApplyAsync(Deploy(1, "newer"), default);
        tmp.Store.Database.ClearPool();
        await using var reopened = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default);
        Assert.Equal("newer", (await reopened.Environments.GetAsync("app", "production", default)).StableReleaseId);
        Assert.Equal(after.StoreId, (await reopened.ReadIdentityAsync(default)).StoreId);
    }

    // Found in review: a backup with an older schema is not adopted (fail static) until 'glidepath store migrate'. While
    // it waits, the -wal beside it is the new file's, written by whoever has it open (the migrate command, another
    // gateway): the next polls must not set that one aside too, which would lose its commits.
    [Fact]
    public async Task ReadIdentityAsync_OlderSchemaMovedOver_OnlyTheOldLogIsSetAside_TheNewFilesLogSurvivesLaterPolls()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        tmp.Store.Database.ClearPool();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "old"), default);
        await tmp.Store.ReadIdentityAsync(default);
        var backup = Path.Combine(tmp.Dir, "backup", "glidepath.db");
        await OldStore.CreateAsync(backup, throughVersion: 11, "SELECT 1;");
        File.Move(backup, tmp.DbPath, overwrite: true);

        await Assert.ThrowsAsync<Glidepath.Storage.Schema.StoreSchemaException>(() => tmp.Store.ReadIdentityAsync(default));
        Assert.Single(Directory.GetFiles(tmp.Dir, "glidepath.db-wal.stale-*"));

        // Another process has the new file open in WAL mode, with a commit still in its -wal.
        await using (var holder = new SqliteConnection($"Data Source={tmp.DbPath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var cmd = holder.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE kept (x TEXT); INSERT INTO kept VALUES ('committed');";
            await cmd.ExecuteNonQueryAsync();
            Assert.True(new FileInfo(tmp.DbPath + "-wal").Length > 0);

            await Assert.ThrowsAsync<Glidepath.Storage.Schema.StoreSchemaException>(() => tmp.Store.ReadIdentityAsync(default));
            await Assert.ThrowsAsync<Glidepath.Storage.Schema.StoreSchemaException>(() => tmp.Store.ReadIdentityAsync(default));

            Assert.Single(Directory.GetFiles(tmp.Dir, "glidepath.db-wal.stale-*"));
            Assert.True(File.Exists(tmp.DbPath + "-wal"), "a later poll set the new file's -wal aside");
        }

        await using var check = new SqliteConnection($"Data Source={tmp.DbPath};Pooling=False");
        await check.OpenAsync();
        await using var read = check.CreateCommand();
        read.CommandText = "SELECT x FROM kept";
        Assert.Equal("committed", await read.ExecuteScalarAsync());
    }

    // A database file of zero pages: SQLite deletes a -wal it finds beside one rather than read it.
    [Fact]
    public async Task OpenAsync_DatabaseDeletedButItsLogLeft_CreatesAnEmptyStoreThatDoesNotReadTheOldLog()
    {
        await using var tmp = await TempSqliteFile.CreateAsync();
        await tmp.Store.Environments.ApplyAsync(Deploy(0, "old"), default);
        var before = await tmp.Store.ReadIdentityAsync(default);
        Assert.True(new FileInfo(tmp.DbPath + "-wal").Length > 0, "the old store's last change is not in its -wal: the test would not test the log");
        File.Delete(tmp.DbPath); // the -wal and -shm stay, as after `rm glidepath.db`

        tmp.Store.Database.ClearPool();
        await using var created = await SqliteStore.OpenAsync(tmp.DbPath, TimeProvider.System, default);

        Assert.NotEqual(before.StoreId, (await created.ReadIdentityAsync(default)).StoreId);
        Assert.Null((await created.Environments.GetAsync("app", "production", default)).StableReleaseId);
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
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
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
