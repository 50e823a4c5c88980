using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>What an attacker tries against a signed-in owner's browser, and what the sign-in keeps to itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SecurityTests(Chromium chromium)
{
    [Fact]
    public async Task ActionPost_WithoutAntiforgeryToken_Is403AndChangesNothing()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));

        var response = await Forms.PostAsync(browser.Page, h.Url, "/dashboard/env/staging/actions/rollback", "reason=csrf", withToken: false);

        Assert.Equal(403, response.Status);
        Assert.Contains("antiforgery token is missing", await response.TextAsync());
        Assert.NotNull((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Canary);
    }

    [Fact]
    public async Task ActionPost_FromAnotherOrigin_Is403EvenWithAValidToken()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));

        var response = await Forms.PostAsync(browser.Page, h.Url, "/dashboard/env/staging/actions/rollback", "reason=csrf", origin: "http://evil.example");

        Assert.Equal(403, response.Status);
        Assert.Contains("posted from another site", await response.TextAsync());
        Assert.NotNull((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Canary);
    }

    [Fact]
    public async Task ActionPost_WithNeitherOriginNorSecFetchSite_Is403EvenWithAValidToken()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));

        var response = await Forms.PostAsync(browser.Page, h.Url, "/dashboard/env/staging/actions/rollback", "reason=no-origin", withOrigin: false);

        Assert.Equal(403, response.Status);
        Assert.Contains("no Origin or Sec-Fetch-Site header", await response.TextAsync());
        Assert.NotNull((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Canary);
    }

    [Fact]
    public async Task ActionPost_FromAPageOnAnotherSite_SendsNoSessionAndIsRefused()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var page = browser.Page;

        // "localhost" is another site than "127.0.0.1" to the browser: a page there auto-submits a form to the dashboard.
        var attacker = h.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await page.RouteAsync(attacker + "/evil", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"""<form id="f" method="post" action="{h.Url}/dashboard/env/staging/actions/rollback"><input name="reason" value="csrf"></form><script>document.getElementById('f').submit()</script>""",
        }));
        var waitForAnswer = page.WaitForResponseAsync(r => r.Url.EndsWith("/actions/rollback", StringComparison.Ordinal));
        await page.GotoAsync(attacker + "/evil");
        var answer = await waitForAnswer;

        Assert.Equal(403, answer.Status);
        Assert.NotNull((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Canary);
    }

    [Fact]
    public async Task Pages_CarryTheSecurityHeaders_AndTheSessionCookieIsHttpOnlyStrictAndNeverShowsTheToken()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Owner, "alice");
        var browser = await h.SignedInAsync(token);
        var page = browser.Page;

        var response = await page.GotoAsync(h.Url + "/dashboard/environments");

        var headers = await response!.AllHeadersAsync();
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Contains("script-src 'self';", headers["content-security-policy"]);
        Assert.DoesNotContain("unsafe-inline", headers["content-security-policy"]);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Contains("no-store", headers["cache-control"]);
        var session = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/dashboard", session.Path);
        Assert.DoesNotContain(token, session.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.EvaluateAsync<int>("document.cookie.length"));
    }

    [Fact]
    public async Task SignInPost_FromAPageOnAnotherSite_IsRefusedOnAPageTitledWithoutAnEmptyAppName()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.NewPageAsync();
        var page = browser.Page;

        // No session yet, so the refusal page knows no app name: its title must not read "Not allowed ·  · Glidepath".
        var attacker = h.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await page.RouteAsync(attacker + "/evil", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"""<form id="f" method="post" action="{h.Url}/dashboard/sign-in"><input name="token" value="gpt_x"></form><script>document.getElementById('f').submit()</script>""",
        }));
        var waitForAnswer = page.WaitForResponseAsync(r => r.Url.EndsWith("/dashboard/sign-in", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.GotoAsync(attacker + "/evil");
        var answer = await waitForAnswer;

        Assert.Equal(403, answer.Status);
        await Assertions.Expect(page.GetByTestId("error")).ToContainTextAsync("posted from another site");
        await Assertions.Expect(page).ToHaveTitleAsync("Not allowed · Glidepath");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
    }

    [Fact]
    public async Task SignIn_UnknownToken_IsRefusedAndSetsNoSession()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/sign-in");
        await page.GetByLabel("Access token").FillAsync("gpt_not-a-real-token");
        var answer = page.WaitForResponseAsync(r => r.Url.EndsWith("/dashboard/sign-in", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.Equal(401, (await answer).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Refused");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
        var pageWithoutSession = await page.GotoAsync(h.Url + "/dashboard/environments");
        Assert.EndsWith("/dashboard/sign-in", pageWithoutSession!.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WhenTheStoreCannotCheckTheToken_Is503WithAPageAndSetsNoSession()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Owner, "alice");
        var browser = await h.NewPageAsync();
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/sign-in");

        // The store can no longer read access tokens.
        await using (var connection = new SqliteConnection($"Data Source={h.F.StorePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE access_tokens";
            await drop.ExecuteNonQueryAsync();
        }

        await page.GetByLabel("Access token").FillAsync(token);
        var answer = page.WaitForResponseAsync(r => r.Url.EndsWith("/dashboard/sign-in", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        Assert.Equal(503, (await answer).Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("your token could not be checked (the store or the identity provider is unavailable)");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
    }

    [Fact]
    public async Task RevokedToken_EndsTheSessionAtTheNextRequest()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        // A page of the session, left open: its form token is the session's own, so the post gets past the form check.
        var csrf = await Forms.TokenAsync(browser.Page);

        await new AccessTokenService(h.F.Store.AccessTokens, h.F.Store, TimeProvider.System).RevokeAsync(h.App, "alice", "test", null, CancellationToken.None);
        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");

        Assert.EndsWith("/dashboard/sign-in?return=%2Fdashboard%2Fenv%2Fstaging%2Fhistory", browser.Page.Url, StringComparison.Ordinal);
        var post = await browser.Page.Context.APIRequest.PostAsync(h.Url + "/dashboard/env/staging/actions/freeze", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = h.Url },
            Data = "reason=x&csrf=" + Uri.EscapeDataString(csrf),
        });
        Assert.Equal(401, post.Status);
        Assert.False((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);
    }

    [Fact]
    public async Task EnvironmentsPage_ViewerOfAnotherEnvironment_SeesNotThisGatewaysState()
    {
        // The harness's gateway serves staging: its revision and releases are staging's, for staging's readers only.
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var production = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "pvic", "production"));
        var staging = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "svic", "staging"));

        await production.Page.GotoAsync(h.Url + "/dashboard/environments");
        await staging.Page.GotoAsync(h.Url + "/dashboard/environments");

        await Assertions.Expect(production.Page.GetByTestId("gateway-health")).ToHaveCountAsync(0);
        await Assertions.Expect(production.Page.Locator("main")).ToContainTextAsync("No gateway state to show here");
        await Assertions.Expect(staging.Page.GetByTestId("gateway-health")).ToContainTextAsync("serves staging");
    }
}
