using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>A history event reads as words: its kind, its releases and its badges apart (as text, for a screen reader too).</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryEventTextTests(Chromium chromium)
{
    [Fact]
    public async Task HistoryPage_RolloutStarted_KindReleasesAndForcedAreSeparateWords()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");

        var first = page.GetByTestId("history").Locator("li").First.Locator("p").First;
        await Assertions.Expect(first).ToContainTextAsync("rollout_started");
        var text = await first.InnerTextAsync();

        Assert.Matches(@"\brollout_started canary v2\S* vs stable v1\S* forced$", text.Trim());
    }
}
