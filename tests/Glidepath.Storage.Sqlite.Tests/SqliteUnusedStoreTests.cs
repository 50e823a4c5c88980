using Glidepath.Testing;
using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>A store a failed command created is taken back only when nothing was written to it.</summary>
public sealed class SqliteUnusedStoreTests
{
    [Fact]
    public async Task RemoveAsync_NewStoreNothingWritten_DeletesItsFiles()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        await temp.Store.DisposeAsync();
        SqlitePools.ClearFolder(temp.Dir);

        Assert.True(await SqliteUnusedStore.RemoveAsync(temp.DbPath, default));

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Dir));
    }

    [Fact]
    public async Task RemoveAsync_OneTraceWritten_KeepsTheStore()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        await temp.Store.Traces.WriteBatchAsync([new TraceRecord
        {
            TraceId = "t1", App = "app", Environment = "staging", ReleaseId = "rel", Arm = "stable", StartedAt = DateTimeOffset.UnixEpoch,
            Api = "openai", Status = 200, LatencyMs = 1, OverheadMs = 0,
        }], default);
        await temp.Store.DisposeAsync();
        SqlitePools.ClearFolder(temp.Dir);

        Assert.False(await SqliteUnusedStore.RemoveAsync(temp.DbPath, default));

        Assert.True(File.Exists(temp.DbPath));
    }
}
