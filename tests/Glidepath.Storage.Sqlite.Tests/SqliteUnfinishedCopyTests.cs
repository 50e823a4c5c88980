using Glidepath.Errors;
using Glidepath.Testing;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// The rule both stores apply on open (<see cref="UnfinishedCopy"/>): a store holding the mark of a
/// <c>glidepath store copy</c> that did not finish is refused by every open, the read-only one included, until the mark is gone.
/// </summary>
public sealed class SqliteUnfinishedCopyTests : IDisposable
{
    private static readonly SqliteStoreProvider Provider = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "glidepath-sqlite-tests", Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_dir, "glidepath.db");

    [Fact]
    public async Task Open_StoreWithTheMark_EveryOpenRefusedExit3NamingSourceAndStart()
    {
        await (await SqliteStore.OpenAsync(DbPath, null, default)).DisposeAsync();
        await ExecAsync("INSERT INTO unfinished_copy VALUES (1, 'postgres://gp:hunter2@old-db/gp', '2026-12-07T10:30:00.0000000Z')");

        var refusals = new[]
        {
            await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(DbPath, create: false, TimeProvider.System, default)),
            await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(DbPath, create: true, TimeProvider.System, default)),
            await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenToReadAsync(DbPath, TimeProvider.System, default)),
        };

        Assert.All(refusals, r => Assert.Equal(
            $"{DbPath} is the target of a 'glidepath store copy' that did not finish (started 2026-12-07T10:30:00.0000000Z from postgres://gp:***@old-db/gp); run the same 'glidepath store copy' again to finish it, or delete it (nothing was read or written)",
            r.Message));
    }

    [Fact]
    public async Task Open_MarkGone_Opens()
    {
        await (await SqliteStore.OpenAsync(DbPath, null, default)).DisposeAsync();
        await ExecAsync("INSERT INTO unfinished_copy VALUES (1, '/a.db', '2026-12-07T10:30:00.0000000Z')");
        await Assert.ThrowsAsync<OperationalException>(() => Provider.OpenAsync(DbPath, create: false, TimeProvider.System, default));

        await ExecAsync("DELETE FROM unfinished_copy");

        await using var store = await Provider.OpenAsync(DbPath, create: false, TimeProvider.System, default);
        Assert.Equal(32, (await store.ReadIdentityAsync(default)).StoreId.Length);
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
            // Best effort: a temp folder left behind does not change any result.
        }
    }

    private async Task ExecAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}
