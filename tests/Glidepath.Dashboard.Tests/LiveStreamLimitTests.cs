using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>One actor holds a bounded number of live streams on a host: each reads the store about once a second.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveStreamLimitTests(Chromium chromium)
{
    [Fact]
    public async Task LivePages_BeyondTheActorsLimit_SayNotLive_OtherActorsUnaffected_AndLiveAgainOnceOneCloses()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser, o => o with { Dashboard = new() { MaxLiveStreamsPerActor = 1 } });
        var token = await h.TokenAsync(Role.Viewer, "lia");

        // Signing in lands on the environments page, which is live.
        var first = await h.SignedInAsync(token);
        await Assertions.Expect(first.Page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);

        // Another sign-in with the same token is the same actor: its live page is over the limit.
        var second = await h.SignedInAsync(token);
        await Assertions.Expect(second.Page.Locator("#live-state")).ToContainTextAsync("too many live pages open");
        Assert.Equal(0, await second.Page.Locator("main[data-live-ready=true]").CountAsync());

        // The page itself still works; another actor's streams are counted apart.
        await Assertions.Expect(second.Page.GetByTestId("actor")).ToHaveTextAsync("token:lia");
        var other = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "max"));
        await Assertions.Expect(other.Page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);

        // Once the first page goes away its stream is no longer counted: a reload of the second is live.
        await first.Page.CloseAsync();
        // (The host notices the closed connection on its own time: reload until it has, within the usual wait.)
        var deadline = DateTime.UtcNow.AddMilliseconds(Chromium.WaitMs);
        while (true)
        {
            await second.Page.ReloadAsync();
            var live = second.Page.Locator("main[data-live-ready=true]");
            var busy = second.Page.Locator("#live-state", new() { HasTextString = "too many live pages open" });
            await live.Or(busy).WaitForAsync();
            if (await live.CountAsync() == 1 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        await Assertions.Expect(second.Page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
    }
}
