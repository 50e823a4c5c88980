using Glidepath.Errors;
using Glidepath.Keys;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Callers' keys: hashes only, one working key per name and app, revocation kept with its time.</summary>
public abstract class ApiKeyStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private ApiKeyService Service() => new(Store.ApiKeys, Store, new FakeTimeProvider(T0));

    [Fact]
    public async Task CreateAsync_StoresTheKeyedHashAndLimits_NeverTheKey()
    {
        var created = await Service().CreateAsync("app", "production", "checkout-service", 600, 50, "alice", None);

        var stored = Assert.Single(await Store.ApiKeys.ListAsync("app", "production", None));
        var identity = await Store.ReadIdentityAsync(None);
        Assert.StartsWith("gpk_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(47, created.Secret.Length);
        Assert.Equal(ApiKeySecret.Hash(identity.SubjectKey, created.Secret), stored.KeyHash);
        Assert.DoesNotContain(created.Secret[4..], stored.KeyHash, StringComparison.Ordinal);
        Assert.Equal((created.Key.Id, "checkout-service", 600, 50.0, T0, "alice", (DateTimeOffset?)null),
            (stored.Id, stored.Name, stored.RequestsPerMinute, stored.BudgetUsdPerDay, stored.CreatedAt, stored.CreatedBy, stored.RevokedAt));
    }

    [Fact]
    public async Task ListAsync_ByEnvironmentOrAll_OldestFirst()
    {
        await Service().CreateAsync("app", "production", "a", null, null, "alice", None);
        await Service().CreateAsync("app", "staging", "b", null, null, "alice", None);
        await Service().CreateAsync("other", "production", "c", null, null, "alice", None);

        Assert.Equal(["a"], (await Store.ApiKeys.ListAsync("app", "production", None)).Select(k => k.Name));
        Assert.Equal(["a", "b"], (await Store.ApiKeys.ListAsync("app", null, None)).Select(k => k.Name));
        var unlimited = (await Store.ApiKeys.ListAsync("app", "staging", None))[0];
        Assert.Equal(((int?)null, (double?)null), (unlimited.RequestsPerMinute, unlimited.BudgetUsdPerDay));
    }

    [Fact]
    public async Task AddAsync_NameOfAWorkingKey_RefusedAndNothingWritten()
    {
        await Service().CreateAsync("app", "production", "checkout", null, null, "alice", None);

        await Assert.ThrowsAsync<PolicyException>(() => Service().CreateAsync("app", "staging", "checkout", null, null, "bob", None));

        Assert.Single(await Store.ApiKeys.ListAsync("app", null, None));
    }

    [Fact]
    public async Task RevokeAsync_KeepsTheKeyWithTheFirstRevocationTime_AndFreesItsName()
    {
        var created = await Service().CreateAsync("app", "production", "checkout", null, null, "alice", None);

        var revoked = await Store.ApiKeys.RevokeAsync("app", created.Key.Id, T0.AddHours(1), None);
        var again = await Store.ApiKeys.RevokeAsync("app", created.Key.Id, T0.AddHours(2), None);
        await Service().CreateAsync("app", "production", "checkout", null, null, "alice", None);

        Assert.Equal(T0.AddHours(1), revoked!.RevokedAt);
        Assert.Equal(T0.AddHours(1), again!.RevokedAt);
        var keys = await Store.ApiKeys.ListAsync("app", "production", None);
        Assert.Equal([true, false], keys.Select(k => k.IsRevoked));
        Assert.Null(await Store.ApiKeys.RevokeAsync("app", "key_0000000000000000", T0, None));
        Assert.Null(await Store.ApiKeys.RevokeAsync("other", created.Key.Id, T0, None));
    }

    [Fact]
    public async Task ServiceRevokeAsync_ByName_RevokesTheWorkingKeyOfThatName()
    {
        var service = Service();
        await service.CreateAsync("app", "production", "checkout", null, null, "alice", None);

        var revoked = await service.RevokeAsync("app", "checkout", None);

        Assert.True(revoked.IsRevoked);
        await Assert.ThrowsAsync<BadInputException>(() => service.RevokeAsync("app", "checkout", None));
    }
}
