using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Rollouts;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A drift alert whose harm side was judged without the reference's dominant subject group (the mirror case), on the
/// Alerts page in a real Chromium: the sides are the recent window and the reference, not stable and canary (review of
/// the mirror case, L1), and the estimate the bound is around is drawn, so a dot outside its whisker is explained (M3).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AlertsLeftOutTests(Chromium chromium)
{
    [Fact]
    public async Task AlertsPage_ReferencesGroupLeftOut_NamesTheWindowsAndDrawsTheHarmSidesEstimate()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.AlertAsync(new MetricEvidence
        {
            Metric = "error_rate", Scale = "difference", CanaryN = 600, StableN = 1800, Estimate = 0.0055, Lower = 0.0102, Upper = 0.0735,
            HarmSideEstimate = 0.0379, LeftOutStableShare = 0.98,
            Tolerance = 0.01, ToleranceText = "max_increase 0.01", Verdict = "harm", Alpha = 0.05,
        });
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/alerts");

        var plot = page.GetByTestId("forest-error_rate");
        await Assertions.Expect(plot.Locator("figcaption")).ToContainTextAsync("recent − reference");
        await Assertions.Expect(plot.Locator("svg > title")).ToContainTextAsync("lower bound around +0.0379, without one subject group holding 98% of the reference's spread");
        Assert.DoesNotContain("stable", await plot.Locator("svg > title").TextContentAsync() ?? "", StringComparison.Ordinal);
        await Assertions.Expect(plot.GetByTestId("harm-side")).ToHaveCountAsync(1);
        await Assertions.Expect(plot.GetByTestId("left-out-note")).ToBeVisibleAsync();
        await Assertions.Expect(plot.Locator("thead")).ToContainTextAsync("n reference");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task AlertsPage_NothingLeftOut_NoHarmSideMarkNorNote()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.AlertAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/alerts");

        var plot = browser.Page.GetByTestId("forest-latency");
        await Assertions.Expect(plot.Locator("figcaption")).ToContainTextAsync("recent ÷ reference");
        await Assertions.Expect(plot.GetByTestId("harm-side")).ToHaveCountAsync(0);
        await Assertions.Expect(plot.GetByTestId("left-out-note")).ToHaveCountAsync(0);
    }
}
