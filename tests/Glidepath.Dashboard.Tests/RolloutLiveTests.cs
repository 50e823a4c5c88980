using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The rollout page follows the store live (server-sent events), without a reload, as traffic arrives and the controller acts.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RolloutLiveTests(Chromium chromium)
{
    // A live page finishes loading while its stream stays open: the stream opens after the load event, so the tab does
    // not show the page as loading for as long as it is open (and a wait for the load event ends).
    [Fact]
    public async Task LivePage_LoadEventFires_AndTheStreamFollowsAfterIt()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "lia"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout", new() { WaitUntil = WaitUntilState.Load });

        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        Assert.Equal("complete", await page.EvaluateAsync<string>("document.readyState"));
    }

    [Fact]
    public async Task RolloutPage_SyntheticTrafficAndControllerPasses_AdvancesStepByStepWithoutReload()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("rollout-step")).ToContainTextAsync("Step 1 of 3");
        await Assertions.Expect(page.GetByTestId("judge-n")).ToContainTextAsync("canary 0 · stable 0");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

        // Requests arrive: the judge's counts and the forest plots follow.
        await h.Seed.TrafficAsync(canary: 400, stable: 800);
        await Assertions.Expect(page.GetByTestId("judge-n")).ToContainTextAsync("canary 400 · stable 800");
        await Assertions.Expect(page.GetByTestId("forest-error_rate")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("judge-outcome")).ToHaveTextAsync("advance");

        // The controller judges the step safe and widens the canary: step 2 at 50%.
        await h.Seed.TickAsync();
        await Assertions.Expect(page.GetByTestId("rollout-step")).ToContainTextAsync("Step 2 of 3 · canary at 50%");
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync("advance at step 1 (10%) by controller");

        // Another safe step: promoted.
        await h.Seed.TrafficAsync(canary: 600, stable: 600, seed: 2);
        await Assertions.Expect(page.GetByTestId("judge-n")).ToContainTextAsync("canary 600 · stable 600");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardHarness.ScreenshotDir, "rollout-live-step2-desktop.png"), FullPage = true });
        await h.Seed.TickAsync();
        await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("promoted");
        await Assertions.Expect(page.GetByTestId("forest-latency").Locator("tbody tr")).ToHaveCountAsync(2);

        Assert.Equal(0, navigations);
        Assert.Empty(browser.Errors);
    }

    // The status regions say what changed and when, in UTC as the page's other times; the state line keeps saying "Live"
    // (it once said "Updated 2:52:40 PM" in the browser's zone at every redraw, about once a second under traffic).
    [Fact]
    public async Task RolloutPage_StepAdvanced_AnnouncesTheStepWithUtcTime_AndTheStateStaysLive()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);

        await h.Seed.TrafficAsync(canary: 400, stable: 800);
        await Assertions.Expect(page.GetByTestId("judge-n")).ToContainTextAsync("canary 400 · stable 800");
        await h.Seed.TickAsync();
        await Assertions.Expect(page.GetByTestId("rollout-step")).ToContainTextAsync("Step 2 of 3");

        var news = page.Locator("#live-news[role=status]");
        await Assertions.Expect(news).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d:\d\d UTC: .*Step 2 of 3, canary at 50%\."));
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.Locator("#live-updated")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^· updated \d\d:\d\d:\d\d UTC$"));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task EnvironmentsPage_CanaryRemovedElsewhere_ShowsItWithoutReload()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("canary-staging")).ToContainTextAsync("v2 at 10%");

        // Someone else rolls back (the CLI, the admin API): every open dashboard shows it.
        var environments = new Glidepath.Environments.EnvironmentService(h.F.Manifest, h.F.Store.Environments, h.F.Store.GateVerdicts, h.F.Store.Releases, h.F.Store.Shadows, TimeProvider.System);
        await environments.RollbackAsync("staging", null, "token:bob", "from the CLI", CancellationToken.None);

        await Assertions.Expect(page.GetByTestId("canary-staging")).ToContainTextAsync("none");
        Assert.Empty(browser.Errors);
    }
}
