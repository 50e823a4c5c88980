namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>The pragmas are set once per native connection: a connection back from the pool still has them, a new one gets them.</summary>
public sealed class SqliteDatabasePragmaTests
{
    [Fact]
    public async Task OpenAsync_PooledAndNewConnections_AllHaveThePragmas()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        var database = new SqliteDatabase(temp.DbPath);
        for (var round = 0; round < 3; round++)
        {
            // Two at once: the second cannot be the first's native connection.
            await using var a = await database.OpenAsync(CancellationToken.None);
            await using var b = await database.OpenAsync(CancellationToken.None);
            foreach (var connection in new[] { a, b })
            {
                Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA foreign_keys"));
                Assert.Equal(30000L, await ScalarAsync(connection, "PRAGMA busy_timeout"));
                Assert.Equal(1L, await ScalarAsync(connection, "PRAGMA synchronous")); // NORMAL
            }
        }

        database.ClearPool();
        await using var fresh = await database.OpenAsync(CancellationToken.None);
        Assert.Equal(1L, await ScalarAsync(fresh, "PRAGMA foreign_keys"));
    }

    [Fact]
    public async Task OpenAsync_AnotherBusyTimeoutOnTheSamePool_EachConnectionHasItsDatabasesTimeout()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        var standard = new SqliteDatabase(temp.DbPath);

        // 29.5 s rounds up to the same whole-second command timeout, so both share one pool of native connections.
        var quick = new SqliteDatabase(temp.DbPath, TimeSpan.FromMilliseconds(29_500));
        Assert.Equal(standard.ConnectionString, quick.ConnectionString);
        for (var round = 0; round < 3; round++)
        {
            await using (var a = await standard.OpenAsync(CancellationToken.None))
            {
                Assert.Equal(30000L, await ScalarAsync(a, "PRAGMA busy_timeout"));
            }

            await using (var b = await quick.OpenAsync(CancellationToken.None))
            {
                Assert.Equal(29500L, await ScalarAsync(b, "PRAGMA busy_timeout"));
            }
        }
    }

    private static async Task<object?> ScalarAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }
}
