using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Who a store is: a random id and subject key of its own, the same for every handle on it.</summary>
public abstract class StoreIdentityContract(IStoreFactory factory) : StoreContract(factory)
{
    [Fact]
    public async Task ReadIdentityAsync_NewStore_HexIdAndA32ByteKey_SameOnEveryRead()
    {
        var first = await Store.ReadIdentityAsync(None);
        var second = await Store.ReadIdentityAsync(None);

        Assert.Matches("^[0-9a-f]{32}$", first.StoreId);
        Assert.Equal(32, first.SubjectKey.Length);
        Assert.Equal((first.StoreId, first.Generation), (second.StoreId, second.Generation));
        Assert.Equal(first.SubjectKey, second.SubjectKey);
    }

    // Read with the identity on every poll, so a long-running process learns that a newer glidepath migrated its store.
    [Fact]
    public async Task ReadIdentityAsync_StoreThisBinaryMade_AtTheSchemaVersionItKnows()
    {
        var identity = await Store.ReadIdentityAsync(None);

        Assert.Equal(identity.KnownSchemaVersion, identity.SchemaVersion);
        Assert.False(identity.SchemaIsNewer);
    }

    [Fact]
    public async Task ReadIdentityAsync_AnotherHandleOnTheSameStore_SameIdAndKey()
    {
        var other = await Factory.OpenAgainAsync(Store);

        var (mine, theirs) = (await Store.ReadIdentityAsync(None), await other.ReadIdentityAsync(None));

        Assert.Equal(mine.StoreId, theirs.StoreId);
        Assert.Equal(mine.SubjectKey, theirs.SubjectKey);
    }

    [Fact]
    public async Task ReadIdentityAsync_TwoStores_DifferentIdsAndKeys()
    {
        var another = await Factory.CreateAsync();

        var (a, b) = (await Store.ReadIdentityAsync(None), await another.ReadIdentityAsync(None));

        Assert.NotEqual(a.StoreId, b.StoreId);
        Assert.NotEqual(a.SubjectKey, b.SubjectKey);
    }

    [Fact]
    public async Task ReadIdentityAsync_KeyChangedByTheCaller_StoreKeyUnchanged()
    {
        var key = (await Store.ReadIdentityAsync(None)).SubjectKey;
        var copy = (byte[])key.Clone();

        key[0] ^= 0xff;

        Assert.Equal(copy, (await Store.ReadIdentityAsync(None)).SubjectKey);
    }

    [Fact]
    public async Task Location_OpensTheSameStoreAgain()
    {
        var other = await Factory.OpenAgainAsync(Store);
        await Store.Environments.ApplyAsync(EnvironmentStoreContract.Change(0, "deploy", "r1"), None);

        Assert.Equal(Store.Location, other.Location);
        Assert.Equal("r1", (await other.Environments.GetAsync("app", "production", None)).StableReleaseId);
    }
}
