using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The traces explorer's filters: a value that is not one of a filter's is refused by name, never dropped to list every trace as if filtered.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TracesFilterTests(Chromium chromium)
{
    [Fact]
    public async Task TracesPage_BadFilterValue_Is400NamingIt_AndListsNoTraces()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.TrafficAsync(canary: 0, stable: 4);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        var cases = new (string Query, string Says)[]
        {
            ("status=bogus", "filter 'status' is 'bogus'; expected failed, ok, cancelled"),
            ("arm=x", "filter 'arm' is 'x'; expected stable, canary, shadow"),
            ("limit=0", "filter 'limit' is '0'; expected a whole number from 1 to 500"),
            ("online_failed=maybe", "filter 'online_failed' is 'maybe'; expected true or false"),
            ("key=" + new string('k', 201), "filter 'key' is longer than 200 characters"),
        };
        foreach (var (query, says) in cases)
        {
            var response = await page.GotoAsync($"{h.Url}/dashboard/env/staging/traces?{query}");

            Assert.True(response!.Status == 400, $"?{query}: {response.Status}");
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync(says);
            await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync("no traces are shown");
            await Assertions.Expect(page.GetByTestId("traces")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task TracesPage_EveryFilterValueTheFormSends_IsApplied()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        await h.Seed.TrafficAsync(canary: 3, stable: 5);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        var response = await page.GotoAsync($"{h.Url}/dashboard/env/staging/traces?release=&arm=canary&status=ok&key=&online_failed=&limit=2");

        Assert.Equal(200, response!.Status);
        var rows = page.GetByTestId("traces").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        foreach (var arm in await rows.Locator("td:nth-child(4)").AllInnerTextsAsync())
        {
            Assert.Equal("canary", arm);
        }

        await Assertions.Expect(page.Locator("#arm")).ToHaveValueAsync("canary");
        Assert.Empty(browser.Errors);
    }

    // Outside trial cancels (M2): the requests a caller closed (499) are what cancel_rate counts, and "failed" lists none.
    [Fact]
    public async Task TracesPage_StatusCancelled_ListsOnlyTheRequestsTheirCallersClosed()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.TrafficAsync(canary: 0, stable: 3);
        await h.Seed.FailedTraceAsync();
        var id = Guid.NewGuid().ToString("N");
        await h.F.Store.Traces.WriteBatchAsync([new Glidepath.Traces.TraceRecord
        {
            TraceId = id, App = h.App, Environment = Seed.Environment, ReleaseId = h.F.V1.Id, Arm = "stable", StartedAt = DateTimeOffset.UtcNow,
            Api = "openai", Status = 499, Error = "client_closed", LatencyMs = 900, OverheadMs = 0.1,
        }], CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        var response = await page.GotoAsync($"{h.Url}/dashboard/env/staging/traces?status=cancelled");

        Assert.Equal(200, response!.Status);
        var rows = page.GetByTestId("traces").Locator("tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync(id);
        await Assertions.Expect(rows.First).ToContainTextAsync("499 client_closed");
        await Assertions.Expect(page.Locator("#status")).ToHaveValueAsync("cancelled");
        Assert.Empty(browser.Errors);
    }
}
