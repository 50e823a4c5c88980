using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Access tokens to the admin API: hashes only, one working token per name (in any case) and app, revocation kept with its time, actor and reason.</summary>
public abstract class AccessTokenStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private AccessTokenService Service() => new(Store.AccessTokens, Store, new FakeTimeProvider(T0));

    private static AccessToken Token(string name, string environment) => new()
    {
        Id = AccessTokenSecret.NewId(),
        App = "app",
        Environment = environment,
        Name = name,
        Role = Role.Viewer,
        TokenHash = AccessTokenSecret.Hash(new byte[32], AccessTokenSecret.New()),
        CreatedAt = T0,
        CreatedBy = "root",
    };

    // The refusal a create got, or null when it created its token.
    private static async Task<PolicyException?> CreateOrRefusal(AccessTokenService service, string environment, Role role, string name)
    {
        try
        {
            await service.CreateAsync("app", environment, role, name, "root", None);
            return null;
        }
        catch (PolicyException ex)
        {
            return ex;
        }
    }

    [Fact]
    public async Task CreateAsync_StoresTheKeyedHashAndRole_NeverTheToken()
    {
        var created = await Service().CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        var stored = Assert.Single(await Store.AccessTokens.ListAsync("app", None));
        var identity = await Store.ReadIdentityAsync(None);
        Assert.StartsWith("gpt_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(47, created.Secret.Length);
        Assert.Equal(AccessTokenSecret.Hash(identity.SubjectKey, created.Secret), stored.TokenHash);
        Assert.DoesNotContain(created.Secret[4..], stored.TokenHash, StringComparison.Ordinal);
        Assert.Equal((created.Token.Id, "production", "alice", Role.Owner, T0, "root", (DateTimeOffset?)null),
            (stored.Id, stored.Environment, stored.Name, stored.Role, stored.CreatedAt, stored.CreatedBy, stored.RevokedAt));
    }

    [Fact]
    public async Task AuthenticateAsync_TheTokenItself_FindsIt_AndNothingElseDoes()
    {
        var service = Service();
        var created = await service.CreateAsync("app", "*", Role.Admin, "ci", "root", None);
        var key = await new Keys.ApiKeyService(Store.ApiKeys, Store, new FakeTimeProvider(T0)).CreateAsync("app", "production", "svc", null, null, "root", None);

        Assert.Equal(created.Token.Id, (await service.AuthenticateAsync("app", created.Secret, None))?.Id);
        Assert.Null(await service.AuthenticateAsync("other", created.Secret, None));
        Assert.Null(await service.AuthenticateAsync("app", key.Secret, None));
        Assert.Null(await service.AuthenticateAsync("app", AccessTokenSecret.New(), None));
        Assert.Null(await service.AuthenticateAsync("app", created.Token.TokenHash, None));
    }

    [Fact]
    public async Task ListAsync_OneApp_OldestFirst()
    {
        await Service().CreateAsync("app", "production", Role.Viewer, "a", "root", None);
        await Service().CreateAsync("app", "staging", Role.Deployer, "b", "root", None);
        await Service().CreateAsync("other", "production", Role.Admin, "c", "root", None);

        Assert.Equal([("a", Role.Viewer), ("b", Role.Deployer)], (await Store.AccessTokens.ListAsync("app", None)).Select(t => (t.Name, t.Role)));
    }

    [Fact]
    public async Task AddAsync_NameOfAWorkingToken_RefusedAndNothingWritten()
    {
        await Service().CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        await Assert.ThrowsAsync<PolicyException>(() => Service().CreateAsync("app", "staging", Role.Viewer, "alice", "root", None));

        Assert.Single(await Store.AccessTokens.ListAsync("app", None));
    }

    [Fact]
    public async Task AddAsync_NameOfAWorkingTokenInAnotherCase_RefusedByTheStoreWithoutNamingItsEnvironment()
    {
        var service = Service();
        var root = await service.CreateAsync("app", "production", Role.Admin, "root", "root", None);
        await service.CreateAsync("other", "production", Role.Admin, "ROOT", "root", None);

        // Straight to the store, past the service's check: what a create that lost the race to 'root' would write.
        var ex = await Assert.ThrowsAsync<PolicyException>(() => Store.AccessTokens.AddAsync(Token("ROOT", "staging"), None));
        await Store.AccessTokens.RevokeAsync("app", root.Token.Id, new Revocation(T0, "root", null), None);
        await Store.AccessTokens.AddAsync(Token("Root", "staging"), None);

        Assert.Equal(StoreConflicts.TokenNameTaken("ROOT").Message, ex.Message);
        Assert.Equal([("root", true), ("Root", false)], (await Store.AccessTokens.ListAsync("app", None)).Select(t => (t.Name, t.IsRevoked)));
    }

    [Fact]
    public async Task CreateAsync_TwoAtOnceWithNamesDifferingOnlyInCase_OneCreatedAndTheOtherRefused()
    {
        // Both creates read the tokens before either adds one, so both pass the service's check: the store decides.
        var service = new AccessTokenService(new RacingAccessTokenStore(Store.AccessTokens), Store, new FakeTimeProvider(T0));

        var outcomes = await Task.WhenAll(
            CreateOrRefusal(service, "production", Role.Admin, "root"),
            CreateOrRefusal(service, "staging", Role.Viewer, "ROOT"));

        var created = Assert.Single(await Store.AccessTokens.ListAsync("app", None));
        var refusal = Assert.Single(outcomes, o => o is not null)!;
        var loser = created.Name == "root" ? "ROOT" : "root";
        Assert.Equal(StoreConflicts.TokenNameTaken(loser).Message, refusal.Message);
        Assert.DoesNotContain(created.Environment, refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RoleNames.Name(created.Role), refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeAsync_KeepsTheFirstRevocationTimeActorAndReason_FreesTheName_AndTheTokenStopsWorking()
    {
        var service = Service();
        var created = await service.CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        var revoked = await Store.AccessTokens.RevokeAsync("app", created.Token.Id, new Revocation(T0.AddHours(1), "token:root", "left the team"), None);
        var again = await Store.AccessTokens.RevokeAsync("app", created.Token.Id, new Revocation(T0.AddHours(2), "oidc:mallory", "not me"), None);
        await service.CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        var first = (T0.AddHours(1), "token:root", "left the team");
        Assert.Equal(first, (revoked!.RevokedAt!.Value, revoked.RevokedBy, revoked.RevokeReason));
        Assert.Equal(first, (again!.RevokedAt!.Value, again.RevokedBy, again.RevokeReason));
        var listed = await Store.AccessTokens.ListAsync("app", None);
        Assert.Equal([true, false], listed.Select(t => t.IsRevoked));
        Assert.Equal(first, (listed[0].RevokedAt!.Value, listed[0].RevokedBy, listed[0].RevokeReason));
        Assert.Equal(((string?)null, (string?)null), (listed[1].RevokedBy, listed[1].RevokeReason));
        Assert.Null(await service.AuthenticateAsync("app", created.Secret, None));
        Assert.True((await Store.AccessTokens.FindAsync("app", created.Token.TokenHash, None))!.IsRevoked);
        Assert.Null(await Store.AccessTokens.RevokeAsync("app", "tok_0000000000000000", new Revocation(T0, "root", null), None));
        Assert.Null(await Store.AccessTokens.RevokeAsync("other", created.Token.Id, new Revocation(T0, "root", null), None));
    }

    [Fact]
    public async Task ServiceRevokeAsync_ByName_RevokesTheWorkingTokenOfThatName()
    {
        var service = Service();
        await service.CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        var revoked = await service.RevokeAsync("app", "alice", "token:root", "  left the team ", None);

        Assert.True(revoked.IsRevoked);
        var stored = (await Store.AccessTokens.FindAsync("app", revoked.TokenHash, None))!;
        Assert.Equal((T0, "token:root", "left the team"), (stored.RevokedAt!.Value, stored.RevokedBy, stored.RevokeReason));
        await Assert.ThrowsAsync<BadInputException>(() => service.RevokeAsync("app", "alice", "token:root", null, None));
    }

    [Fact]
    public async Task ServiceRevokeAsync_NoReason_RecordsTheActorAndNoReason()
    {
        var service = Service();
        await service.CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        await service.RevokeAsync("app", "alice", "ops", "   ", None);

        var stored = Assert.Single(await Store.AccessTokens.ListAsync("app", None));
        Assert.Equal(("ops", (string?)null), (stored.RevokedBy, stored.RevokeReason));
    }

    [Theory]
    [InlineData("ok\u001b[2K")]
    [InlineData(null)]
    public async Task ServiceRevokeAsync_AReasonNotRecordable_RefusedAndTheTokenStillWorks(string? reason)
    {
        var service = Service();
        var created = await service.CreateAsync("app", "production", Role.Owner, "alice", "root", None);

        await Assert.ThrowsAsync<BadInputException>(() => service.RevokeAsync("app", "alice", "token:root", reason ?? new string('x', 501), None));

        Assert.NotNull(await service.AuthenticateAsync("app", created.Secret, None));
    }
}
