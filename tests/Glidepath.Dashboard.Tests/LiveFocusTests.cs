using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Environments;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A live update keeps what a keyboard user was doing: the focused link, button or summary stays focused (an Enter
/// pressed after the update acts), and open details stay open.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveFocusTests(Chromium chromium)
{
    [Fact]
    public async Task RolloutPage_FocusOnPause_KeptAcrossALiveUpdate_AndEnterActs()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "olga"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await page.GetByTestId("action-pause").FocusAsync();
        var before = await page.Locator("main").GetAttributeAsync("data-updated");

        // Requests arrive: the page redraws with the judge's new counts.
        await h.Seed.TrafficAsync(canary: 400, stable: 800);
        await Assertions.Expect(page.GetByTestId("judge-n")).ToContainTextAsync("canary 400 · stable 800");
        Assert.NotEqual(before, await page.Locator("main").GetAttributeAsync("data-updated"));

        await Assertions.Expect(page.GetByTestId("action-pause")).ToBeFocusedAsync(new() { Timeout = 1000 });
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(h.Url + "/dashboard/env/staging/confirm/pause");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task HistoryPage_OpenDetailsAndFocusedSummary_KeptAcrossALiveUpdate()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "olga"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);

        // The keyboard opens the newest event's details.
        var item = page.GetByTestId("history").Locator("li:has(details)").First;
        var testid = await item.GetAttributeAsync("data-testid");
        var summary = page.GetByTestId(testid!).Locator("summary");
        await summary.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId(testid!).Locator("details")).ToHaveAttributeAsync("open", "");

        // Someone freezes staging: a new event above it, and Unfreeze instead of Freeze.
        var environments = new EnvironmentService(h.F.Manifest, h.F.Store.Environments, h.F.Store.GateVerdicts, h.F.Store.Releases, h.F.Store.Shadows, TimeProvider.System);
        await environments.FreezeAsync("staging", "token:bob", "elsewhere", CancellationToken.None);
        await Assertions.Expect(page.GetByTestId("action-unfreeze")).ToBeVisibleAsync();

        await Assertions.Expect(page.GetByTestId(testid!).Locator("details")).ToHaveAttributeAsync("open", "", new() { Timeout = 1000 });
        await Assertions.Expect(summary).ToBeFocusedAsync(new() { Timeout = 1000 });
        Assert.Empty(browser.Errors);
    }
}
