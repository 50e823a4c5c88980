using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The history page offers an owner only the actions that apply to the environment now.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryActionsTests(Chromium chromium)
{
    [Fact]
    public async Task HistoryPage_OffersRollbackOnlyWithSomethingToGoBackTo_AndFreezeOrUnfreezeByTheFrozenFlag()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice", "staging"));
        var page = browser.Page;

        // v1 has been staging's only stable release, and staging is not frozen: nothing to roll back to, nothing to unfreeze.
        await ExpectActionsAsync(page, h, rollback: false, freeze: true, unfreeze: false);
        await Assertions.Expect(page.GetByTestId("no-rollback")).ToHaveTextAsync("No rollback: staging has no earlier known-good release to go back to.");

        // A canary: a rollback ends it.
        await h.Seed.StartRolloutAsync();
        await ExpectActionsAsync(page, h, rollback: true, freeze: true, unfreeze: false);

        // Frozen: unfreeze instead of freeze; a rollback is still allowed while frozen.
        await h.Seed.Environments.FreezeAsync(Seed.Environment, "ana", "incident 7", CancellationToken.None);
        await ExpectActionsAsync(page, h, rollback: true, freeze: false, unfreeze: true);

        // Promoted: v2 stable, no canary. The world's first deploy of v1 named no release, so nothing earlier is known-good.
        await h.Seed.Environments.UnfreezeAsync(Seed.Environment, "ana", null, CancellationToken.None);
        await h.Seed.PromoteAsync();
        await ExpectActionsAsync(page, h, rollback: false, freeze: true, unfreeze: false);

        // v1 deployed over v2: a rollback goes back to v2.
        await h.Seed.Environments.DeployAsync(Seed.Environment, h.F.V1, "ana", "back to v1", CancellationToken.None);
        await ExpectActionsAsync(page, h, rollback: true, freeze: true, unfreeze: false);
        await page.GetByTestId("action-rollback").ClickAsync();
        await Assertions.Expect(page.GetByTestId("rollback-to")).ToContainTextAsync("v2");
        Assert.Empty(browser.Errors);
    }

    private static async Task ExpectActionsAsync(IPage page, DashboardHarness h, bool rollback, bool freeze, bool unfreeze)
    {
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await Assertions.Expect(page.GetByTestId("action-rollback")).ToHaveCountAsync(rollback ? 1 : 0);
        await Assertions.Expect(page.GetByTestId("action-freeze")).ToHaveCountAsync(freeze ? 1 : 0);
        await Assertions.Expect(page.GetByTestId("action-unfreeze")).ToHaveCountAsync(unfreeze ? 1 : 0);
        await Assertions.Expect(page.GetByTestId("no-rollback")).ToHaveCountAsync(rollback ? 0 : 1);
    }
}
