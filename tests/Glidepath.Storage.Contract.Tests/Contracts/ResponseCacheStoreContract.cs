using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>The eval response cache: entries by key, never returned once expired.</summary>
public abstract class ResponseCacheStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 7, 0, 0, TimeSpan.Zero);

    private static CachedResponse Entry(string key, string json, TimeSpan ttl) => new(key, "sim", "m", json, T0, T0 + ttl);

    [Fact]
    public async Task GetAsync_BeforeExpiry_ReturnsTheResponse_FromExpiryOn_Nothing()
    {
        await Store.ResponseCache.SetAsync(Entry("k1", "{\"a\":1}", TimeSpan.FromHours(1)), None);

        Assert.Equal("{\"a\":1}", await Store.ResponseCache.GetAsync("k1", T0.AddMinutes(59), None));
        Assert.Null(await Store.ResponseCache.GetAsync("k1", T0.AddHours(1), None));
        Assert.Null(await Store.ResponseCache.GetAsync("k2", T0, None));
    }

    [Fact]
    public async Task SetAsync_SameKey_ReplacesTheEntry()
    {
        await Store.ResponseCache.SetAsync(Entry("k1", "old", TimeSpan.FromMinutes(1)), None);

        await Store.ResponseCache.SetAsync(Entry("k1", "new", TimeSpan.FromDays(1)), None);

        Assert.Equal("new", await Store.ResponseCache.GetAsync("k1", T0.AddHours(2), None));
    }

    [Fact]
    public async Task PurgeExpiredAsync_RemovesOnlyExpiredEntries_AndCountsThem()
    {
        await Store.ResponseCache.SetAsync(Entry("gone1", "x", TimeSpan.FromMinutes(1)), None);
        await Store.ResponseCache.SetAsync(Entry("gone2", "x", TimeSpan.FromMinutes(10)), None);
        await Store.ResponseCache.SetAsync(Entry("kept", "y", TimeSpan.FromMinutes(11)), None);

        var purged = await Store.ResponseCache.PurgeExpiredAsync(T0.AddMinutes(10), None);

        Assert.Equal(2, purged);
        Assert.Equal("y", await Store.ResponseCache.GetAsync("kept", T0, None));
        Assert.Null(await Store.ResponseCache.GetAsync("gone1", T0, None));
        Assert.Equal(0, await Store.ResponseCache.PurgeExpiredAsync(T0.AddMinutes(10), None));
    }
}
