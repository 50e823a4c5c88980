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
    public async Task AddAsync_ThenIsSignedOut_ForThatSessionOnly_WhicheverAppSignedItOut()
    {
        await Store.SignOuts.AddAsync(SignOut("0123456789abcdef0123456789abcdef", app: "other"), None);

        Assert.True(await Store.SignOuts.IsSignedOutAsync("0123456789abcdef0123456789abcdef", None));
        Assert.False(await Store.SignOuts.IsSignedOutAsync("fedcba9876543210fedcba9876543210", None));
        Assert.False(await Store.SignOuts.IsSignedOutAsync("0123456789ABCDEF0123456789ABCDEF", None));
    }

    [Fact]
    public async Task AddAsync_SameSessionTwice_KeepsTheFirstAndDoesNotThrow()
    {
        await Store.SignOuts.AddAsync(SignOut("aa"), None);
        await Store.SignOuts.AddAsync(SignOut("aa", at: T0.AddMinutes(5)), None);

        Assert.True(await Store.SignOuts.IsSignedOutAsync("aa", None));
    }

    [Fact]
    public async Task AddAsync_ForgetsSessionsExpiredForLongerThanTheMargin_KeepsTheRest()
    {
        await Store.SignOuts.AddAsync(SignOut("short", at: T0, left: TimeSpan.FromMinutes(10)), None);
        await Store.SignOuts.AddAsync(SignOut("recent", at: T0, left: TimeSpan.FromMinutes(90)), None);
        await Store.SignOuts.AddAsync(SignOut("long", app: "other", at: T0, left: TimeSpan.FromHours(12)), None);

        // Two hours on: "short" expired 110 minutes ago (past the one-hour margin), "recent" 30 minutes ago (within it).
        await Store.SignOuts.AddAsync(SignOut("later", at: T0.AddHours(2)), None);

        Assert.Equal(TimeSpan.FromHours(1), ISignOutStore.ForgetAfter);
        Assert.False(await Store.SignOuts.IsSignedOutAsync("short", None));
        Assert.True(await Store.SignOuts.IsSignedOutAsync("recent", None));
        Assert.True(await Store.SignOuts.IsSignedOutAsync("long", None));
        Assert.True(await Store.SignOuts.IsSignedOutAsync("later", None));
    }
}
