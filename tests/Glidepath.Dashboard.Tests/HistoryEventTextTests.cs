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

    // Newcomer trial L8: details were raw JSON, with 64-hex ids and a .NET TimeSpan ("was_frozen_for":"00:00:02.2606801").
    [Fact]
    public async Task HistoryPage_FreezeAndUnfreeze_DetailsAreKeyValuePairsWithShortIdsAndSeconds()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.EventsAsync(2);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        var events = (await h.F.Store.Environments.HistoryAsync(h.App, Seed.Environment, CancellationToken.None)).ToList();
        var freeze = events.Single(e => e.Kind == "freeze").Revision;
        var unfreeze = events.Single(e => e.Kind == "unfreeze").Revision;

        var frozen = await page.GetByTestId($"details-{freeze}").InnerTextAsync();
        var unfrozen = await page.GetByTestId($"details-{unfreeze}").InnerTextAsync();

        Assert.Contains("stable release id", frozen, StringComparison.Ordinal);
        Assert.Contains(h.F.V1.Id[..8] + "…", frozen, StringComparison.Ordinal);
        Assert.DoesNotContain(h.F.V1.Id, frozen, StringComparison.Ordinal);
        Assert.Contains("was frozen for", unfrozen, StringComparison.Ordinal);
        Assert.Matches(@"\d+\.\d s", unfrozen);
        Assert.DoesNotContain("{", unfrozen, StringComparison.Ordinal);
    }

    // Trial "lows" #3: a promotion with a warning showed it twice on the page, in its reason and again in its details.
    [Fact]
    public async Task HistoryPage_PromotionWithAWarning_ShowsTheWarningOnce()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        const string warning = "warning: refusals of the request or timeouts were 0.1111 of stable's requests this step and 0 of the canary's";
        var state = await h.F.Store.Environments.GetAsync(h.App, Seed.Environment, CancellationToken.None);
        var applied = await h.F.Store.Environments.ApplyAsync(new Glidepath.Environments.EnvironmentChange
        {
            App = h.App,
            Environment = Seed.Environment,
            ExpectedRevision = state.Revision,
            NewState = state,
            Event = new Glidepath.Environments.EnvironmentEvent
            {
                App = h.App, Environment = Seed.Environment, Revision = 0, Kind = "rollout_promoted", Actor = "controller",
                Reason = $"{warning} — all metrics safe; last step passed: the canary becomes the stable release",
                Time = DateTimeOffset.UtcNow,
                DetailsJson = $$"""{"warning":"{{warning}}","canary_requests":40}""",
            },
        }, CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");

        var text = await page.GetByTestId($"event-{applied.Revision}").InnerTextAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(warning)));
        await Assertions.Expect(page.GetByTestId($"details-{applied.Revision}")).ToContainTextAsync("canary requests");
        Assert.Empty(browser.Errors);
    }
}
