using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Traces;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>An outside trial's error and empty pages: each now says what is true and offers a way on.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ErrorAndEmptyPagesTests(Chromium chromium)
{
    [Fact]
    public async Task UnknownDashboardPath_SignedIn_IsTheDashboards404WithItsNavigation()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        var response = await browser.Page.GotoAsync(h.Url + "/dashboard/nonexistent");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(browser.Page.GetByTestId("error")).ToContainTextAsync("there is no dashboard page at this address");
        await Assertions.Expect(browser.Page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ForbiddenEnvironmentPage_OpensNoLiveStream()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "pia", "production"));

        var response = await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");

        Assert.Equal(403, response!.Status);
        Assert.Equal(0, await browser.Page.Locator("main[data-live]").CountAsync());
    }

    [Fact]
    public async Task NotSignedIn401_LinksToSignIn()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var csrf = await Forms.TokenAsync(browser.Page);
        await new AccessTokenService(h.F.Store.AccessTokens, h.F.Store, TimeProvider.System).RevokeAsync(h.App, "alice", "test", null, CancellationToken.None);

        var post = await browser.Page.Context.APIRequest.PostAsync(h.Url + "/dashboard/env/staging/actions/freeze", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = h.Url },
            Data = "reason=x&csrf=" + Uri.EscapeDataString(csrf),
        });

        Assert.Equal(401, post.Status);
        Assert.Contains("<a href=\"/dashboard/sign-in\" data-testid=\"sign-in-link\">Sign in</a>", await post.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_FromASharedLink_ReturnsToThatPage()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Viewer, "vic");
        var page = (await h.NewPageAsync()).Page;

        await page.GotoAsync(h.Url + "/dashboard/env/staging/traces?status=failed");
        await page.GetByLabel("Access token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(h.Url + "/dashboard/env/staging/traces?status=failed");
        await Assertions.Expect(page.GetByTestId("actor")).ToHaveTextAsync("token:vic");
    }

    [Fact]
    public async Task SignIn_WithAReturnToAnotherSite_LandsOnTheEnvironments()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Viewer, "vic");
        var page = (await h.NewPageAsync()).Page;

        await page.GotoAsync(h.Url + "/dashboard/sign-in?return=" + Uri.EscapeDataString("//evil.example/dashboard/"));
        Assert.Equal(0, await page.Locator("input[name=return]").CountAsync());
        await page.GetByLabel("Access token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(h.Url + "/dashboard/environments");
    }

    // A hand-made post cannot slip another site in either: the post's own field is checked again.
    [Fact]
    public async Task SignInPost_WithAReturnToAnotherSite_RedirectsToTheEnvironments()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Viewer, "vic");
        var page = (await h.NewPageAsync()).Page;
        await page.GotoAsync(h.Url + "/dashboard/sign-in");
        var csrf = await page.Locator("form input[name=csrf]").GetAttributeAsync("value");

        var post = await page.Context.APIRequest.PostAsync(h.Url + "/dashboard/sign-in", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = h.Url },
            Data = $"token={Uri.EscapeDataString(token)}&csrf={Uri.EscapeDataString(csrf!)}&return={Uri.EscapeDataString("//evil.example/x")}",
            MaxRedirects = 0,
        });

        Assert.Equal(302, post.Status);
        Assert.Equal("/dashboard/environments", post.Headers["location"]);
    }

    [Fact]
    public async Task RefusedFreeze_LinksBackToTheFormWithTheTypedReason()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var typed = "incident 4711 " + new string('x', 490); // 504 characters: over the 500 a reason may have

        var post = await Forms.PostAsync(browser.Page, h.Url, "/dashboard/env/staging/actions/freeze", "reason=" + Uri.EscapeDataString(typed));
        Assert.Equal(400, post.Status);
        await browser.Page.SetContentAsync(await post.TextAsync());
        var retry = await browser.Page.GetByTestId("retry").GetAttributeAsync("href");
        await browser.Page.GotoAsync(h.Url + retry);

        Assert.Equal(typed, await browser.Page.Locator("#reason").InputValueAsync());
        Assert.False((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);
    }

    [Fact]
    public async Task EnvironmentWithoutStableOrEvents_SaysRequestsGet503_AndHistorySaysNoEventsYet()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await Assertions.Expect(browser.Page.GetByTestId("no-stable-production")).ToContainTextAsync("every request gets a 503 until a release is deployed");
        await Assertions.Expect(browser.Page.GetByTestId("no-stable-staging")).ToHaveCountAsync(0);
        await browser.Page.GotoAsync(h.Url + "/dashboard/env/production/history");
        await Assertions.Expect(browser.Page.GetByTestId("no-events")).ToContainTextAsync("No events yet");
        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await Assertions.Expect(browser.Page.GetByTestId("no-events")).ToHaveCountAsync(0);
    }

    // Content captured with every character outside the basic plane escaped (\uD83D\uDE80): the page shows 🚀.
    [Fact]
    public async Task TracePage_EmojiStoredEscaped_ShowsAsText()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var id = Guid.NewGuid().ToString("N");
        await h.F.Store.Traces.WriteBatchAsync([new TraceRecord
        {
            TraceId = id, App = h.App, Environment = Seed.Environment, ReleaseId = h.F.V1.Id, Arm = "stable", StartedAt = DateTimeOffset.UtcNow,
            Api = "openai", Status = 200, LatencyMs = 100, OverheadMs = 0.1,
            InputJson = """[{"role":"user","content":"launch \uD83D\uDE80 \u65E5\u672C\u8A9E <b>now</b>"}]""",
        }], CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync($"{h.Url}/dashboard/env/staging/traces/{id}");

        await Assertions.Expect(browser.Page.Locator("main")).ToContainTextAsync("launch 🚀 日本語 <b>now</b>");
        Assert.DoesNotContain("\\uD83D", await browser.Page.Locator("main").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
