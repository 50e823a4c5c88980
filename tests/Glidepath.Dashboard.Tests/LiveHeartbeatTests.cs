using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Environments;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A live page tells "nothing changed" from "the server is gone": the stream beats while the store is quiet, and a page
/// that hears nothing for about two beats says, under its title, since when it is not live, marks its actions and
/// reconnects by hand, also after a refusal (an EventSource given a 503 would close for good).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class LiveHeartbeatTests(Chromium chromium)
{
    private static Task<DashboardHarness> StartAsync(Chromium chromium) =>
        DashboardHarness.StartAsync(chromium.Browser, o => o with { Dashboard = new DashboardOptions { LivePoll = TimeSpan.FromMilliseconds(150), LiveHeartbeat = TimeSpan.FromMilliseconds(500) } });

    [Fact]
    public async Task LivePage_QuietStore_HearsTheBeatAndStaysLive()
    {
        await using var h = await StartAsync(chromium);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        Assert.Equal("500", await page.Locator("main").GetAttributeAsync("data-live-beat"));

        // Nothing changes in the store: the beats still come, and the page stays live through more than two of them.
        await Assertions.Expect(page.Locator("main")).ToHaveAttributeAsync("data-live-beats", ThreeOrMore());

        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("Live");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task RolloutPage_StreamHeldSilent_SaysNotLiveSinceAndMarksActions_ThenLiveAgain()
    {
        await using var h = await StartAsync(chromium);
        await h.Seed.StartRolloutAsync();
        await using var relay = new TcpRelay(h.Url);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "olga"), through: relay.Url);
        var page = browser.Page;
        await page.GotoAsync(relay.Url + "/dashboard/env/staging/rollout");
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("action-pause")).Not.ToHaveClassAsync(Stale());

        // The server hangs (or a proxy holds the connection): the connection stays open and nothing comes.
        relay.Set(RelayMode.Hold);

        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync(NotLiveSince());
        await Assertions.Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "down");
        await Assertions.Expect(page.GetByTestId("action-pause")).ToHaveClassAsync(Stale());
        await Assertions.Expect(page.GetByTestId("action-pause")).ToHaveAccessibleNameAsync("Pause rollout… (page not live)");

        // It answers again: the page reconnects by itself and is live, its actions unmarked.
        relay.Set(RelayMode.Forward);
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.GetByTestId("action-pause")).Not.ToHaveClassAsync(Stale());
    }

    [Fact]
    public async Task EnvironmentsPage_ReconnectionsAnswered503_KeepsRetrying_AndShowsWhatChangedOnceServed()
    {
        await using var h = await StartAsync(chromium);
        await using var relay = new TcpRelay(h.Url);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"), through: relay.Url);
        var page = browser.Page;
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);

        // The stream is cut and every reconnection is refused with a 503 (a store that cannot be read answers so).
        relay.Set(RelayMode.Answer503);
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync(NotLiveSince());
        var environments = new EnvironmentService(h.F.Manifest, h.F.Store.Environments, h.F.Store.GateVerdicts, h.F.Store.Releases, h.F.Store.Shadows, TimeProvider.System);
        await environments.FreezeAsync("staging", "token:bob", "while the stream was refused", CancellationToken.None);

        // An EventSource closes for good after one refusal; the page tries again by itself.
        await Eventually.TrueAsync(() => Task.FromResult(relay.RefusedStreams >= 2), $"the page did not retry after a 503 (refused {relay.RefusedStreams})");

        relay.Set(RelayMode.Forward);
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync("Live");
        await Assertions.Expect(page.GetByTestId("env-staging").Locator(".badge.bad")).ToHaveTextAsync("frozen");
    }

    [GeneratedRegex("^([3-9]|[1-9][0-9]+)$")]
    private static partial Regex ThreeOrMore();

    [GeneratedRegex(@"^Not live since \d\d:\d\d:\d\d UTC: this page may be out of date\. Reconnecting…$")]
    private static partial Regex NotLiveSince();

    [GeneratedRegex(@"\bstale\b")]
    private static partial Regex Stale();
}
