using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The shadow page follows the store live, as the rollout page does: new pairs and a stop show without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShadowLiveTests(Chromium chromium)
{
    [Fact]
    public async Task ShadowPage_PairsStoredAndAStopElsewhere_ShowWithoutReload()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var shadow = await h.Seed.ShadowAsync(pairs: 40);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/shadow");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("shadow-pairs")).ToHaveTextAsync("40");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // The gateway's mirror stores more pairs: the figures follow.
        await h.Seed.PairsAsync(shadow, 40, 25);
        await Assertions.Expect(page.GetByTestId("shadow-pairs")).ToHaveTextAsync("65");
        await Assertions.Expect(page.GetByTestId("shadow-spend")).ToHaveTextAsync("$0.13 of $5");

        // Someone stops it (the CLI, the admin API): the page says so.
        await h.Seed.Shadows.StopAsync(Seed.Environment, "ana", "enough", CancellationToken.None);
        await Assertions.Expect(page.GetByTestId("shadow-state")).ToHaveTextAsync("stopped");

        Assert.Equal(0, navigations);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task EventsStream_UnknownPage_Is400()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        foreach (var query in new[] { "env=staging&page=bogus", "page=shadow" })
        {
            var response = await browser.Page.Context.APIRequest.GetAsync($"{h.Url}/dashboard/events?{query}", new() { Timeout = 20_000 });

            Assert.True(response.Status == 400, $"?{query}: {response.Status}");
        }
    }
}
