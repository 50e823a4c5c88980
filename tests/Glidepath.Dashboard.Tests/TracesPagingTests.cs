using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Testing;
using Glidepath.Traces;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The traces page lists one page at a time; its "Older traces" link keeps the filters and reaches every matching trace once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TracesPagingTests(Chromium chromium)
{
    [Fact]
    public async Task TracesPage_MoreTracesThanAPage_OlderLinksKeepTheFilterAndListEveryTraceOnce()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        // 120 stable traces started at only three instants, so the pages' edges fall inside an instant; canary ones the filter leaves out.
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        var stable = Enumerable.Range(0, 120).Select(i => Trace(h, TestTraceIds.Of("paging/stable", i), "stable", t0.AddSeconds(i % 3))).ToList();
        await h.F.Store.Traces.WriteBatchAsync([.. stable, .. Enumerable.Range(0, 30).Select(i => Trace(h, TestTraceIds.Of("paging/canary", i), "canary", t0.AddSeconds(i % 3)))], CancellationToken.None);
        var expected = stable.OrderByDescending(t => t.StartedAt).ThenBy(t => t.TraceId, StringComparer.Ordinal).Select(t => t.TraceId).ToList();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/traces?arm=stable");
        var seen = new List<string>();
        for (var pages = 1; ; pages++)
        {
            var ids = await page.GetByTestId("traces").Locator("tbody tr td:first-child code").AllInnerTextsAsync();
            Assert.InRange(ids.Count, 1, 50);
            seen.AddRange(ids);
            if (await page.GetByTestId("older-traces").CountAsync() == 0)
            {
                Assert.Equal(3, pages);
                break;
            }

            await page.GetByTestId("older-traces").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/traces\\?arm=stable&before={ids[^1]}$"));
            await Assertions.Expect(page.Locator("#arm")).ToHaveValueAsync("stable");
        }

        Assert.Equal(expected, seen);
        await Assertions.Expect(page.GetByTestId("newest-traces")).ToHaveAttributeAsync("href", "/dashboard/env/staging/traces?arm=stable");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task TracesPage_BadCursor_Is400NamingItAndListsNoTraces()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var elsewhere = TestTraceIds.Of("paging/production", 0);
        await h.F.Store.Traces.WriteBatchAsync([Trace(h, elsewhere, "stable", DateTimeOffset.UtcNow) with { Environment = "production" }], CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        var cases = new (string Before, string Says)[]
        {
            ("abc", "traces cursor 'before' is 'abc'; expected a trace id (32 lower-case hex digits"),
            (new string('A', 32), $"traces cursor 'before' is '{new string('A', 32)}'; expected a trace id"),
            (new string('a', 31), $"traces cursor 'before' is '{new string('a', 31)}'; expected a trace id"),
            ("<b>x</b>", "traces cursor 'before' is '<b>x</b>'; expected a trace id"),
            (new string('a', 32), $"no trace '{new string('a', 32)}' for app '{h.App}' in 'staging'"),
            // Another environment's trace is "not found", as on the trace page: the cursor reveals nothing of it.
            (elsewhere, $"no trace '{elsewhere}' for app '{h.App}' in 'staging'"),
        };
        foreach (var (before, says) in cases)
        {
            var response = await page.GotoAsync($"{h.Url}/dashboard/env/staging/traces?before={Uri.EscapeDataString(before)}");

            Assert.True(response!.Status == 400, $"before={before}: {response.Status}");
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync(says);
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync("no traces are shown");
            await Assertions.Expect(page.GetByTestId("traces")).ToHaveCountAsync(0);
        }
    }

    private static TraceRecord Trace(DashboardHarness h, string id, string arm, DateTimeOffset at) => new()
    {
        TraceId = id,
        App = h.App,
        Environment = Seed.Environment,
        ReleaseId = arm == "canary" ? h.F.V2.Id : h.F.V1.Id,
        Arm = arm,
        StartedAt = at,
        Api = "openai",
        Status = 200,
        LatencyMs = 300,
        OverheadMs = 0.1,
        CostUsd = 0.001,
        InputTokens = 120,
        OutputTokens = 40,
    };
}
