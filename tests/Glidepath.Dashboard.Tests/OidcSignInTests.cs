using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway.Tests.Admin;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// Signing in with an OpenID Connect token (a JWT signed by a locally generated key the server trusts): a valid one opens
/// the dashboard as <c>oidc:SUB</c>, a bad one is refused with its reason, and the session ends when the token expires.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OidcSignInTests(Chromium chromium)
{
    [Fact]
    public async Task SignIn_ValidOidcToken_OpensTheDashboardAsItsSubject()
    {
        await using var h = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var browser = await h.SignedInAsync(AdminHarness.Jwt("alice", ["Glidepath.Owner"]));

        await Assertions.Expect(browser.Page.GetByTestId("actor")).ToHaveTextAsync("oidc:alice");
        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.EndsWith("/dashboard/env/staging/history", browser.Page.Url, StringComparison.Ordinal);
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("expired", "it has expired")]
    [InlineData("wrong-audience", "it is for another audience")]
    [InlineData("foreign-key", "its signature does not verify")]
    public async Task SignIn_BadOidcToken_IsRefusedWithItsReason_AndSetsNoSession(string kind, string reason)
    {
        await using var h = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var jwt = kind switch
        {
            "expired" => AdminHarness.Jwt("alice", ["Glidepath.Owner"], expiresIn: TimeSpan.FromMinutes(-10)),
            "wrong-audience" => AdminHarness.Jwt("alice", ["Glidepath.Owner"], audience: "api://another-app"),
            _ => AdminHarness.Jwt("alice", ["Glidepath.Owner"], key: AdminHarness.ForeignKey),
        };

        var (status, page) = await SignInAsync(h, jwt);

        Assert.Equal(401, status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("the OpenID Connect token was refused: " + reason);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
    }

    [Fact]
    public async Task SignIn_OidcTokenWithoutAMappedRole_Is403NamingItsSubject()
    {
        await using var h = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));

        var (status, page) = await SignInAsync(h, AdminHarness.Jwt("carol", ["Some.Other.App"]));

        Assert.Equal(403, status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("oidc:carol has no role in any environment");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
    }

    // A valid token too large for the session cookie: the browser would drop the cookie without a word (a trial saw an
    // 18 KB cookie set); the sign-in says so instead.
    [Fact]
    public async Task SignIn_ValidOidcTokenTooLargeForTheCookie_Is400SayingSo()
    {
        await using var h = await StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var roles = Enumerable.Range(0, 120).Select(i => $"Some.Other.Group.{i:D4}").Append("Glidepath.Owner").ToList();

        var (status, page) = await SignInAsync(h, AdminHarness.Jwt("alice", roles));

        Assert.Equal(400, status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("too long for the session cookie");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "glidepath_session");
    }

    [Fact]
    public async Task Session_EndsWhenItsOidcTokenExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartAsync(clock);
        var browser = await h.SignedInAsync(AdminHarness.Jwt("alice", ["Glidepath.Owner"], expiresIn: TimeSpan.FromMinutes(10)));
        // A page of the session, left open: its form token is the session's own, so the post gets past the form check.
        var csrf = await Forms.TokenAsync(browser.Page);

        // Past exp and the one minute of clock skew, on the admin API's clock.
        clock.Advance(TimeSpan.FromMinutes(12));
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

    /// <summary>The dashboard harness with the admin tests' OIDC settings, on <paramref name="clock"/>.</summary>
    private Task<DashboardHarness> StartAsync(TimeProvider clock) =>
        DashboardHarness.StartAsync(chromium.Browser, o => o with { Admin = o.Admin! with { Oidc = AdminHarness.Oidc, Time = clock } });

    private static async Task<(int Status, IPage Page)> SignInAsync(DashboardHarness h, string credential)
    {
        var page = (await h.NewPageAsync()).Page;
        await page.GotoAsync(h.Url + "/dashboard/sign-in");
        await page.GetByLabel("Access token").FillAsync(credential);
        var answer = page.WaitForResponseAsync(r => r.Url.EndsWith("/dashboard/sign-in", StringComparison.Ordinal) && r.Request.Method == "POST");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return ((await answer).Status, page);
    }
}
