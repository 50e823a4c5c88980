using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Releases;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The Releases table reads each release as <c>glidepath release list</c> does.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReleasesTableTests(Chromium chromium)
{
    // Trial "lows" #4: the table showed a release's first message while 'release list' showed the newest one given.
    [Fact]
    public async Task ReleasesPage_ReleaseRegisteredAgainWithANewMessage_ShowsTheNewestMessageAsReleaseListDoes()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var v2 = h.F.V2;
        await h.F.Store.Releases.RegisterAsync(new ReleaseDraft
        {
            Id = v2.Id, App = v2.App, CanonicalJson = v2.CanonicalJson, GitCommit = "6d9572658f0123456789abcdef0123456789abcd", Author = "ana",
            CreatedAt = v2.CreatedAt.AddMinutes(5), Message = "the newest message",
        }, CancellationToken.None);
        var listed = (await ReleaseReports.ListAsync(h.F.Store.Releases, h.App, CancellationToken.None)).Single(r => r.Name == "v2");
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync(h.Url + "/dashboard/releases");

        Assert.Equal("the newest message", listed.Message);
        Assert.NotEqual(listed.Message, v2.Message);
        await Assertions.Expect(browser.Page.GetByTestId("message-v2")).ToHaveTextAsync("the newest message");
        Assert.Empty(browser.Errors);
    }
}
