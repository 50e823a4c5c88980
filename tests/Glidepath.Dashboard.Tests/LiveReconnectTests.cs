using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Environments;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A live page whose stream breaks and comes back (a gateway restarted, a proxy dropped the connection, a laptop woke up)
/// shows what changed while it was down, without a reload: the browser reaches the gateway through a relay the test
/// cuts and restores.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveReconnectTests(Chromium chromium)
{
    [Fact]
    public async Task EnvironmentsPage_FrozenWhileTheStreamWasDown_ShowsItAfterTheReconnect()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await using var relay = new TcpRelay(h.Url);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"), through: relay.Url);
        var page = browser.Page;
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        var revision = await page.GetByTestId("revision-staging").InnerTextAsync();

        // The connection goes away; the page sees its stream fail.
        relay.Set(RelayMode.Drop);
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(0);

        // Someone freezes staging meanwhile: no stream carries it to the page as a change.
        var environments = new EnvironmentService(h.F.Manifest, h.F.Store.Environments, h.F.Store.GateVerdicts, h.F.Store.Releases, h.F.Store.Shadows, TimeProvider.System);
        await environments.FreezeAsync("staging", "token:bob", "while the dashboard was away", CancellationToken.None);

        // The stream comes back: its first word is a hello, and the page fetches itself again on it.
        relay.Set(RelayMode.Forward);
        await Assertions.Expect(page.Locator("main[data-live-ready=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("env-staging").Locator(".badge.bad")).ToHaveTextAsync("frozen");
        Assert.NotEqual(revision, await page.GetByTestId("revision-staging").InnerTextAsync());
        Assert.DoesNotContain(browser.Errors, e => !e.Contains("net::", StringComparison.Ordinal));
    }
}
