using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Keys;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Callers' keys: hashes only, one working key per name and app, revocation kept with its time, actor and reason.</summary>
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
    public async Task RevokeAsync_KeepsTheKeyWithTheFirstRevocationTimeActorAndReason_AndFreesItsName()
    {
        var created = await Service().CreateAsync("app", "production", "checkout", null, null, "alice", None);

        var revoked = await Store.ApiKeys.RevokeAsync("app", created.Key.Id, new Revocation(T0.AddHours(1), "token:p-admin", "rotating: leaked in CI log"), None);
        var again = await Store.ApiKeys.RevokeAsync("app", created.Key.Id, new Revocation(T0.AddHours(2), "oidc:mallory", null), None);
        await Service().CreateAsync("app", "production", "checkout", null, null, "alice", None);

        var first = (T0.AddHours(1), "token:p-admin", "rotating: leaked in CI log");
        Assert.Equal(first, (revoked!.RevokedAt!.Value, revoked.RevokedBy, revoked.RevokeReason));
        Assert.Equal(first, (again!.RevokedAt!.Value, again.RevokedBy, again.RevokeReason));
        var keys = await Store.ApiKeys.ListAsync("app", "production", None);
        Assert.Equal([true, false], keys.Select(k => k.IsRevoked));
        Assert.Equal(first, (keys[0].RevokedAt!.Value, keys[0].RevokedBy, keys[0].RevokeReason));
        Assert.Equal(((string?)null, (string?)null), (keys[1].RevokedBy, keys[1].RevokeReason));
        Assert.Null(await Store.ApiKeys.RevokeAsync("app", "key_0000000000000000", new Revocation(T0, "alice", null), None));
        Assert.Null(await Store.ApiKeys.RevokeAsync("other", created.Key.Id, new Revocation(T0, "alice", null), None));
    }

    [Fact]
    public async Task ServiceRevokeAsync_ByName_RevokesTheWorkingKeyOfThatName()
    {
        var service = Service();
        await service.CreateAsync("app", "production", "checkout", null, null, "alice", None);

        var revoked = await service.RevokeAsync("app", "checkout", "token:p-admin", " rotating ", None);

        Assert.True(revoked.IsRevoked);
        var stored = Assert.Single(await Store.ApiKeys.ListAsync("app", null, None));
        Assert.Equal((T0, "token:p-admin", "rotating"), (stored.RevokedAt!.Value, stored.RevokedBy, stored.RevokeReason));
        await Assert.ThrowsAsync<BadInputException>(() => service.RevokeAsync("app", "checkout", "token:p-admin", null, None));
    }

    [Fact]
    public async Task ServiceRevokeAsync_AReasonWithAnEscapeSequence_RefusedAndTheKeyStillWorks()
    {
        var service = Service();
        await service.CreateAsync("app", "production", "checkout", null, null, "alice", None);

        await Assert.ThrowsAsync<BadInputException>(() => service.RevokeAsync("app", "checkout", "token:p-admin", "ok\u001b[2K", None));

        Assert.False(Assert.Single(await Store.ApiKeys.ListAsync("app", null, None)).IsRevoked);
    }
}
