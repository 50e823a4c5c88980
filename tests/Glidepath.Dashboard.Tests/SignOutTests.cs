using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>"Sign out" ends the session on the server: a copy of the cookie taken before it is refused after it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignOutTests(Chromium chromium)
{
    [Fact]
    public async Task SignOut_ACopyOfTheCookieTakenBefore_IsRefusedAfter_AndOtherSessionsGoOn()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var token = await h.TokenAsync(Role.Owner, "alice");
        var browser = await h.SignedInAsync(token);
        var otherSignIn = await h.SignedInAsync(token);
        var copy = await CopyOfAsync(h, browser);

        // The copy works while the session lasts: it is the same cookie.
        await copy.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.EndsWith("/dashboard/env/staging/history", copy.Page.Url, StringComparison.Ordinal);
        // The copy's page, left open: its form token is the session's own, so its post gets past the form check.
        var csrf = await Forms.TokenAsync(copy.Page);

        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(browser.Page).ToHaveURLAsync(new Regex("/dashboard/sign-in$"));
        Assert.DoesNotContain(await browser.Page.Context.CookiesAsync(), c => c.Name == "glidepath_session");

        await copy.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.EndsWith("/dashboard/sign-in?return=%2Fdashboard%2Fenv%2Fstaging%2Fhistory", copy.Page.Url, StringComparison.Ordinal);
        var post = await copy.Page.Context.APIRequest.PostAsync(h.Url + "/dashboard/env/staging/actions/freeze", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = h.Url },
            Data = "reason=x&csrf=" + Uri.EscapeDataString(csrf),
        });
        Assert.Equal(401, post.Status);
        Assert.False((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);

        // Another sign-in with the same token is another session: it goes on.
        await otherSignIn.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.EndsWith("/dashboard/env/staging/history", otherSignIn.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAnotherToken_EndsTheSessionTheBrowserHad()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var copy = await CopyOfAsync(h, browser);

        await browser.Page.GotoAsync(h.Url + "/dashboard/sign-in");
        await browser.Page.GetByLabel("Access token").FillAsync(await h.TokenAsync(Role.Viewer, "bob"));
        await browser.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(browser.Page.GetByTestId("actor")).ToHaveTextAsync("token:bob");

        await copy.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.EndsWith("/dashboard/sign-in?return=%2Fdashboard%2Fenv%2Fstaging%2Fhistory", copy.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_WhenItCannotBeRecorded_Is503AndKeepsTheCookie()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var csrf = await Forms.TokenAsync(browser.Page);

        // The store can no longer record (or read) sign-outs.
        await using (var connection = new SqliteConnection($"Data Source={h.F.StorePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE signed_out_sessions";
            await drop.ExecuteNonQueryAsync();
        }

        var answer = await browser.Page.Context.APIRequest.PostAsync(h.Url + "/dashboard/sign-out", new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded", ["Origin"] = h.Url },
            Data = "csrf=" + Uri.EscapeDataString(csrf),
            MaxRedirects = 0,
        });

        Assert.Equal(503, answer.Status);
        Assert.Contains("you were not signed out", await answer.TextAsync(), StringComparison.Ordinal);
        Assert.Contains(await browser.Page.Context.CookiesAsync(), c => c.Name == "glidepath_session");

        // Nor is the session believed while the store cannot say it was not signed out.
        var page = await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        Assert.Equal(503, page!.Status);
    }

    private static async Task<BrowserPage> CopyOfAsync(DashboardHarness h, BrowserPage signedIn)
    {
        var copy = await h.NewPageAsync();
        var cookies = await signedIn.Page.Context.CookiesAsync();
        await copy.Page.Context.AddCookiesAsync(cookies.Where(c => c.Name == "glidepath_session").Select(c => new Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
            HttpOnly = c.HttpOnly,
            Secure = c.Secure,
            SameSite = c.SameSite,
            Expires = c.Expires,
        }));
        return copy;
    }
}
