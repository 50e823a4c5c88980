using Glidepath.Errors;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// Which SQLite failures pass with time: BUSY and LOCKED (another connection holds the write lock), with their extended
/// codes; the trace writer keeps a batch that failed so. A constraint violation is a refusal. And which failures to
/// open or read a store get a hint about the disk and the folder.
/// </summary>
public sealed class SqliteFailuresTests
{
    [Fact]
    public async Task IsTransient_WriteLockHeldByAnotherConnection_True()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        await using var store = await SqliteStore.OpenAsync(temp.DbPath, TimeProvider.System, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        await using var holder = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temp.DbPath, Pooling = false }.ToString());
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => store.Traces.WriteBatchAsync([TestTraces.Minimal("tr-busy-1")], CancellationToken.None));

        Assert.True(store.IsTransient(error), error.ToString());
        Assert.Equal(5, Assert.IsType<SqliteException>(error).SqliteErrorCode); // BUSY, after the 100 ms wait
    }

    [Fact]
    public async Task IsTransient_ConstraintViolation_False()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        await using var connection = await temp.Store.Database.OpenAsync(CancellationToken.None);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO store_identity (id, store_id, subject_key, created_at) VALUES (1, 'x', '00', '2026-01-01T00:00:00Z')"; // id 1 is taken

        var error = await Assert.ThrowsAsync<SqliteException>(() => cmd.ExecuteNonQueryAsync());

        Assert.Equal(19, error.SqliteErrorCode); // CONSTRAINT
        Assert.False(temp.Store.IsTransient(error));
    }

    [Theory]
    [InlineData(5, 5)] // BUSY
    [InlineData(5, 517)] // BUSY_SNAPSHOT
    [InlineData(5, 773)] // BUSY_TIMEOUT
    [InlineData(6, 6)] // LOCKED
    [InlineData(6, 262)] // LOCKED_SHAREDCACHE
    [InlineData(517, 517)] // an extended code reported as the primary one
    public void IsBusy_BusyOrLockedCode_True(int code, int extended)
    {
        var error = new SqliteException("SQLite Error: 'database is locked'.", code, extended);

        Assert.True(SqliteFailures.IsBusy(error));
        Assert.True(SqliteFailures.IsBusy(new OperationalException("cannot write the batch", error)));
    }

    [Theory]
    [InlineData(19, 2067)] // CONSTRAINT_UNIQUE
    [InlineData(8, 8)] // READONLY
    [InlineData(13, 13)] // FULL
    [InlineData(26, 26)] // NOTADB
    public void IsBusy_OtherCode_False(int code, int extended) =>
        Assert.False(SqliteFailures.IsBusy(new SqliteException("SQLite Error.", code, extended)));

    [Fact]
    public void IsBusy_NotASqliteError_False() =>
        Assert.False(SqliteFailures.IsBusy(new IOException("database is locked")));

    [Theory]
    [InlineData(10, 10, "disk I/O error")] // IOERR: what a full disk gave every command in an operator trial
    [InlineData(10, 4618, "disk I/O error")] // IOERR_SHMOPEN
    [InlineData(13, 13, "database or disk is full")] // FULL
    [InlineData(14, 14, "unable to open database file")] // CANTOPEN
    public void Describe_DiskOrFolderFailure_SaysWhatToCheck(int code, int extended, string words)
    {
        var error = new SqliteException($"SQLite Error {code}: '{words}'.", code, extended);

        var text = SqliteFailures.Describe(new OperationalException("cannot read", error));
        var direct = SqliteFailures.Describe(error);

        Assert.Equal($"SQLite Error {code}: '{words}'; the disk may be full or the store's folder not writable: check free disk space, "
            + "and that the store file and its folder are writable (SQLite writes -wal and -shm files beside the store, even to read it)", direct);
        Assert.StartsWith("cannot read; the disk may be full", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 5)] // BUSY
    [InlineData(19, 2067)] // CONSTRAINT_UNIQUE
    [InlineData(26, 26)] // NOTADB: said in its own words elsewhere
    public void Describe_OtherFailure_MessageAsItIs(int code, int extended)
    {
        var error = new SqliteException("SQLite Error.", code, extended);

        Assert.Null(SqliteFailures.OpenHint(error));
        Assert.Equal("SQLite Error.", SqliteFailures.Describe(error));
    }

    [Fact]
    public async Task OpenAsync_SqliteCannotOpenItsWalFile_ErrorSaysWhatToCheck()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        await temp.Store.DisposeAsync();
        Glidepath.Testing.SqlitePools.ClearFolder(temp.Dir);
        File.Delete(temp.DbPath + "-wal");
        Directory.CreateDirectory(temp.DbPath + "-wal"); // what SQLite cannot open, as root too (unlike a chmod)

        var ex = await Assert.ThrowsAsync<OperationalException>(() => SqliteStore.OpenAsync(temp.DbPath, null, default));

        Assert.StartsWith($"cannot open the store at {temp.DbPath}: SQLite Error", ex.Message, StringComparison.Ordinal);
        Assert.Contains("check free disk space, and that the store file and its folder are writable", ex.Message, StringComparison.Ordinal);
    }
}
