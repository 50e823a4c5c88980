using Glidepath.Access;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Dashboard sessions signed out before they expired: recorded per app, kept until their cookie would have expired.</summary>
public abstract class SignOutStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static SignedOutSession SignOut(string id, string app = "app", DateTimeOffset? at = null, TimeSpan? left = null) => new()
    {
        SessionId = id,
        App = app,
        SignedOutAt = at ?? T0,
        Until = (at ?? T0) + (left ?? TimeSpan.FromHours(12)),
    };

    [Fact]
    public async Task AddAsync_ThenIsSignedOut_ForThatSessionAndAppOnly()
    {
        await Store.SignOuts.AddAsync(SignOut("0123456789abcdef0123456789abcdef"), None);

        Assert.True(await Store.SignOuts.IsSignedOutAsync("app", "0123456789abcdef0123456789abcdef", None));
        Assert.False(await Store.SignOuts.IsSignedOutAsync("other", "0123456789abcdef0123456789abcdef", None));
        Assert.False(await Store.SignOuts.IsSignedOutAsync("app", "fedcba9876543210fedcba9876543210", None));
        Assert.False(await Store.SignOuts.IsSignedOutAsync("app", "0123456789ABCDEF0123456789ABCDEF", None));
    }

    [Fact]
    public async Task AddAsync_SameSessionTwice_KeepsTheFirstAndDoesNotThrow()
    {
        await Store.SignOuts.AddAsync(SignOut("aa"), None);
        await Store.SignOuts.AddAsync(SignOut("aa", at: T0.AddMinutes(5)), None);

        Assert.True(await Store.SignOuts.IsSignedOutAsync("app", "aa", None));
    }

    [Fact]
    public async Task AddAsync_ForgetsSessionsThatHadExpired_KeepsThoseStillLive()
    {
        await Store.SignOuts.AddAsync(SignOut("short", at: T0, left: TimeSpan.FromMinutes(10)), None);
        await Store.SignOuts.AddAsync(SignOut("long", app: "other", at: T0, left: TimeSpan.FromHours(12)), None);

        await Store.SignOuts.AddAsync(SignOut("later", at: T0.AddHours(1)), None);

        Assert.False(await Store.SignOuts.IsSignedOutAsync("app", "short", None));
        Assert.True(await Store.SignOuts.IsSignedOutAsync("other", "long", None));
        Assert.True(await Store.SignOuts.IsSignedOutAsync("app", "later", None));
    }
}
