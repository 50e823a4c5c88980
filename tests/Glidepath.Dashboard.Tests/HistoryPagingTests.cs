using System.Globalization;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The history page shows one page of events at a time, newest first, and its "Older events" link reaches the first event.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryPagingTests(Chromium chromium)
{
    private const int PageSize = 100; // HistoryModel.PageSize
    [Fact]
    public async Task HistoryPage_MoreEventsThanAPage_OlderLinksReachEveryEventOnce()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.EventsAsync((2 * PageSize) + 30);
        var total = (await h.F.Store.Environments.HistoryAsync(h.App, Seed.Environment, CancellationToken.None)).Count;
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        var seen = new List<long>();
        for (var pages = 1; ; pages++)
        {
            var revisions = (await page.GetByTestId("history").Locator("li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.testid)"))
                .Select(id => long.Parse(id["event-".Length..], CultureInfo.InvariantCulture)).ToList();
            Assert.InRange(revisions.Count, 1, PageSize);
            Assert.Equal(revisions.OrderDescending(), revisions);
            seen.AddRange(revisions);
            if (await page.GetByTestId("older-events").CountAsync() == 0)
            {
                Assert.Equal(3, pages);
                break;
            }

            await page.GetByTestId("older-events").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/history\\?before={revisions[^1]}$"));
        }

        // Every event once, newest to the first: nothing skipped at a page's edge, nothing shown twice.
        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(1, seen[^1]);
        await Assertions.Expect(page.GetByTestId("newest-events")).ToHaveAttributeAsync("href", "/dashboard/env/staging/history");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task HistoryPage_BadCursor_Is400NamingItAndListsNoEvents()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        foreach (var before in new[] { "abc", "0", "-1", "1.5", "+3", "1e3", "99999999999999999999", "<script>x</script>" })
        {
            var response = await page.GotoAsync($"{h.Url}/dashboard/env/staging/history?before={Uri.EscapeDataString(before)}");

            Assert.True(response!.Status == 400, $"before={before}: {response.Status}");
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync($"history cursor 'before' is '{before}'; expected a revision");
            await Assertions.Expect(page.GetByTestId("history")).ToHaveCountAsync(0);
        }
    }
}
