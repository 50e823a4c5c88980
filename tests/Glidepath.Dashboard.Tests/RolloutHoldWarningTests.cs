using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A rollout held at its step limit with an estimate beyond a tolerance (the hold that hides a harm): the dashboard shows
/// the warning <c>rollout status</c> and <c>status</c> print, and the figures from before the cap of heavy subjects.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RolloutHoldWarningTests(Chromium chromium)
{
    // An outside trial: the judge card showed "hold" and its reason with no warning.
    [Fact]
    public async Task HeldWithAWarning_JudgeCard_ShowsTheWarningRolloutStatusPrints()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var rollout = await h.Seed.StartRolloutAsync();
        await h.Seed.HoldWithWarningAsync(rollout);
        var status = await Glidepath.Rollouts.RolloutStatus.ReadAsync(h.F.Store, rollout, DateTimeOffset.UtcNow, CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");

        await Assertions.Expect(browser.Page.GetByTestId("judge-warning")).ToHaveTextAsync(status.Warning!);
        Assert.StartsWith("warning: error_rate +0.0560 [-0.0080, +0.1030]: the estimate is beyond max_increase 0.05", status.Warning, StringComparison.Ordinal);
        Assert.Empty(browser.Errors);
    }

    // An outside trial: the Environments page said "progressing, step 1 of 2" with no hint of the hold.
    [Fact]
    public async Task HeldWithAWarning_EnvironmentsPage_ShowsTheWarningStatusPrints()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var rollout = await h.Seed.StartRolloutAsync();
        await h.Seed.HoldWithWarningAsync(rollout);
        var expected = (await Glidepath.Environments.EnvironmentReports.StatusRowsAsync(h.F.Manifest, h.F.Store, CancellationToken.None))
            .Single(r => r.Name == Seed.Environment).RolloutWarning;

        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        Assert.NotNull(expected);
        await Assertions.Expect(browser.Page.GetByTestId("rollout-warning-staging")).ToHaveTextAsync("held — " + expected);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task ForestTables_ShowTheFiguresBeforeTheCapAndTheHalfWidth_AsRolloutStatusPrintsThem()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var rollout = await h.Seed.StartRolloutAsync();
        await h.Seed.HoldWithWarningAsync(rollout);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");

        var errors = page.GetByTestId("forest-error_rate").Locator("tbody tr").First;
        await Assertions.Expect(errors.GetByTestId("n-canary")).ToHaveTextAsync("992 (1029 before cap)");
        await Assertions.Expect(errors.GetByTestId("n-stable")).ToHaveTextAsync("1800");
        await Assertions.Expect(errors.GetByTestId("estimate")).ToHaveTextAsync("+0.0560 (+0.0612 before cap)");
        await Assertions.Expect(errors.GetByTestId("half-width")).ToHaveTextAsync("±0.0555");
        var latency = page.GetByTestId("forest-latency").Locator("tbody tr").First;
        await Assertions.Expect(latency.GetByTestId("estimate")).ToHaveTextAsync("×0.930 (×0.931 before cap)");
        await Assertions.Expect(latency.GetByTestId("half-width")).ToHaveTextAsync("×/÷1.095");
        Assert.Empty(browser.Errors);
    }
}
