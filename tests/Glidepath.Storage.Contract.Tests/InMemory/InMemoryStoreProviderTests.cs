using Glidepath.Errors;
using Glidepath.Storage.InMemory;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Storage.Contract.Tests.InMemory;

public sealed class InMemoryStoreProviderTests
{
    private static readonly InMemoryStoreProvider Provider = new();

    private static string UniqueName() => "memory:test-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData("memory:", true)]
    [InlineData("memory:shared", true)]
    [InlineData("MEMORY:x", true)]
    [InlineData("/tmp/x/glidepath.db", false)]
    [InlineData("sqlite:/tmp/x.db", false)]
    [InlineData("postgres://u@h/db", false)]
    public void Handles_ByScheme(string location, bool expected) => Assert.Equal(expected, Provider.Handles(location));

    [Fact]
    public async Task OpenAsync_SameNameTwice_OneStoreShared()
    {
        var location = UniqueName();
        var first = await Provider.OpenAsync(location, create: true, TimeProvider.System, default);

        var again = await new InMemoryStoreProvider().OpenAsync(location, create: false, TimeProvider.System, default);

        Assert.Same(first, again);
        Assert.Equal(location, again.Location);
    }

    [Fact]
    public async Task OpenAsync_UnnamedTwice_TwoPrivateStores()
    {
        var a = await Provider.OpenAsync("memory:", create: true, TimeProvider.System, default);
        var b = await Provider.OpenAsync("memory:", create: true, TimeProvider.System, default);

        Assert.NotSame(a, b);
        Assert.NotEqual((await a.ReadIdentityAsync(default)).StoreId, (await b.ReadIdentityAsync(default)).StoreId);
    }

    [Theory]
    [InlineData("memory:")]
    [InlineData("memory:never-created")]
    public async Task OpenAsync_WithoutCreate_NothingThere_BadInputAndNothingCreated(string location)
    {
        var ex = await Assert.ThrowsAsync<BadInputException>(() => Provider.OpenAsync(location, create: false, TimeProvider.System, default));

        Assert.StartsWith($"no store at {location}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.BadInput, ex.Kind);
        await Assert.ThrowsAsync<BadInputException>(() => Provider.OpenAsync(location, create: false, TimeProvider.System, default));
    }

    [Fact]
    public async Task StoreProviders_BothKinds_EachLocationGoesToItsOwn()
    {
        var providers = new StoreProviders().Add(new InMemoryStoreProvider()).Add(new SqliteStoreProvider());

        var store = await providers.OpenAsync(UniqueName(), create: true, TimeProvider.System, default);
        var ex = await Assert.ThrowsAsync<BadInputException>(() => providers.OpenAsync("mysql://h/db", create: true, TimeProvider.System, default));

        Assert.IsType<InMemoryStore>(store);
        Assert.Contains("memory:NAME", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a SQLite file path", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_NamedStore_KeepsItsDataForOtherHolders()
    {
        var location = UniqueName();
        var store = await Provider.OpenAsync(location, create: true, TimeProvider.System, default);
        await store.ResponseCache.SetAsync(new CachedResponse("k", "sim", "m", "{}", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue), default);

        await store.DisposeAsync();
        var again = await Provider.OpenAsync(location, create: false, TimeProvider.System, default);

        Assert.Equal("{}", await again.ResponseCache.GetAsync("k", DateTimeOffset.UnixEpoch, default));
    }

    [Fact]
    public async Task Operations_CancelledToken_CancelledTaskAndNothingWritten()
    {
        var store = new InMemoryStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ResponseCache.SetAsync(new CachedResponse("k", "sim", "m", "{}", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue), cts.Token));

        Assert.Null(await store.ResponseCache.GetAsync("k", DateTimeOffset.UnixEpoch, default));
    }
}
