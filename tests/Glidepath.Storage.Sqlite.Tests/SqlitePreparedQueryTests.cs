using Glidepath.Testing;
using Glidepath.Storage;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>
/// The response cache's read keeps its statement prepared on connections it holds open: many reads prepare it once, and
/// the held connections go with the pool (a replaced file is read anew, a disposed store leaves nothing open).
/// </summary>
public sealed class SqlitePreparedQueryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetAsync_ManyReads_PrepareTheStatementOnce()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        var cache = (SqliteResponseCacheStore)temp.Store.ResponseCache;
        await cache.SetAsync(Entry("k1", "{\"a\":1}"), CancellationToken.None);
        for (var i = 0; i < 200; i++)
        {
            Assert.Equal("{\"a\":1}", await cache.GetAsync("k1", Now, CancellationToken.None));
            Assert.Null(await cache.GetAsync("absent", Now, CancellationToken.None));
        }

        Assert.Equal(1, cache.Reads.Prepares);
    }

    [Fact]
    public async Task GetAsync_ExpiredEntry_IsNotReturnedByTheKeptStatement()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        var cache = temp.Store.ResponseCache;
        await cache.SetAsync(Entry("k1", "{}"), CancellationToken.None);
        Assert.Equal("{}", await cache.GetAsync("k1", Now, CancellationToken.None));
        Assert.Null(await cache.GetAsync("k1", Now.AddDays(2), CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_FileReplacedByAnotherStore_ReadsTheNewFile()
    {
        await using var temp = await TempSqliteFile.CreateAsync();
        var cache = (SqliteResponseCacheStore)temp.Store.ResponseCache;
        await cache.SetAsync(Entry("k1", "\"old\""), CancellationToken.None);
        await temp.Store.ReadIdentityAsync(CancellationToken.None); // the store knows its file
        await using var other = await TempSqliteFile.CreateAsync();
        await other.Store.ResponseCache.SetAsync(Entry("k1", "\"new\""), CancellationToken.None);
        other.Store.Database.ClearPool(); // a backup put back is not open anywhere (the last close checkpoints it)
        Assert.Equal("\"old\"", await cache.GetAsync("k1", Now, CancellationToken.None));

        // Another store's file put in its place, as a restore does; the store notices and lets go of the old file.
        File.Move(other.DbPath, temp.DbPath, overwrite: true);
        await temp.Store.ReadIdentityAsync(CancellationToken.None);

        Assert.Equal("\"new\"", await cache.GetAsync("k1", Now, CancellationToken.None));
        Assert.Equal(2, cache.Reads.Prepares);
    }

    [Fact]
    public async Task DisposeAsync_AfterReads_LeavesNoConnectionOpenOnTheFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // open descriptors are read from /proc
        }

        var temp = await TempSqliteFile.CreateAsync();
        var path = temp.DbPath;
        var cache = temp.Store.ResponseCache;
        await cache.SetAsync(Entry("k1", "{}"), CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.Equal("{}", await cache.GetAsync("k1", Now, CancellationToken.None));
            }
        })));
        Assert.NotEmpty(OpenHandlesOn(path));

        await temp.Store.DisposeAsync();

        Assert.Empty(OpenHandlesOn(path));
        await temp.DisposeAsync();
    }

    private static CachedResponse Entry(string key, string json) => new(key, "openai", "gpt-4o-mini", json, Now.AddHours(-1), Now.AddDays(1));

    /// <summary>This process's file descriptors open on <paramref name="path"/> (/proc/self/fd).</summary>
    private static List<string> OpenHandlesOn(string path)
    {
        var full = Path.GetFullPath(path);
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFiles("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == full)
                {
                    open.Add(fd);
                }
            }
            catch (IOException)
            {
                // closed while listed
            }
        }

        return open;
    }
}
