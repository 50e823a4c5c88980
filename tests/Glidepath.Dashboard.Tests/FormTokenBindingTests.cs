using System.Net;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// A form token is good for the session whose page carried it: not for the sign-in page's (issued to no session) once
/// signed in, not for another session of the same browser, not for the session before a new sign-in. Over real HTTP,
/// the browser a cookie jar; every refused post is one that is accepted with the right token, so the refusal is the
/// binding's and not the antiforgery cookie's.
/// </summary>
public sealed class FormTokenBindingTests
{
    private const string Freeze = "/dashboard/env/staging/actions/freeze";

    [Fact]
    public async Task ActionPost_WithTheTokenOfTheSessionsPage_IsDone_AndSignOutToo()
    {
        await using var f = await StartAsync();
        using var browser = Browser(f);
        await SignInAsync(f, browser, await TokenAsync(f, "alice"));

        using var freeze = await browser.PostFormAsync(Freeze, f.Url, await PageTokenAsync(browser), ("reason", "own page"));
        using var signOut = await browser.PostFormAsync("/dashboard/sign-out", f.Url, await PageTokenAsync(browser));

        Assert.Equal(HttpStatusCode.Redirect, freeze.StatusCode);
        Assert.Contains("done=freeze", freeze.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True((await f.Store.Environments.GetAsync(f.Manifest.App, "staging", default)).Frozen);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/dashboard/sign-in", signOut.Headers.Location!.ToString());
    }

    // The attacker trial's repro: the anonymous sign-in page's token was accepted on action posts after signing in.
    [Fact]
    public async Task ActionPost_WithTheSignInPagesToken_IsRefusedOnceSignedIn()
    {
        await using var f = await StartAsync();
        using var browser = Browser(f);
        using var signInPage = await browser.GetAsync("/dashboard/sign-in");
        var signInToken = await ProxiedClient.CsrfAsync(signInPage);
        using var signedIn = await browser.PostFormAsync("/dashboard/sign-in", f.Url, signInToken, ("token", await TokenAsync(f, "alice")));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        using var withSignInToken = await browser.PostFormAsync(Freeze, f.Url, signInToken, ("reason", "sign-in page's token"));
        using var signOutWithSignInToken = await browser.PostFormAsync("/dashboard/sign-out", f.Url, signInToken);

        await AssertRefusedAsync(f, withSignInToken);
        Assert.Equal(HttpStatusCode.Forbidden, signOutWithSignInToken.StatusCode);
        using var withPageToken = await browser.PostFormAsync(Freeze, f.Url, await PageTokenAsync(browser), ("reason", "own page"));
        Assert.Equal(HttpStatusCode.Redirect, withPageToken.StatusCode);
    }

    [Fact]
    public async Task ActionPost_WithSessionAsToken_IsRefusedWithSessionBsCookie_InTheSameBrowser()
    {
        await using var f = await StartAsync();
        var jarOfA = new Dictionary<string, string>(StringComparer.Ordinal);
        using var a = Browser(f, jarOfA);
        await SignInAsync(f, a, await TokenAsync(f, "alice"));
        // B is the same browser as far as antiforgery goes (A's antiforgery cookie), with a session of its own.
        using var b = Browser(f, new Dictionary<string, string>(StringComparer.Ordinal) { ["glidepath_csrf"] = jarOfA["glidepath_csrf"] });
        await SignInAsync(f, b, await TokenAsync(f, "bob"));

        using var withAsToken = await b.PostFormAsync(Freeze, f.Url, await PageTokenAsync(a), ("reason", "A's token"));

        await AssertRefusedAsync(f, withAsToken);
        using var withBsToken = await b.PostFormAsync(Freeze, f.Url, await PageTokenAsync(b), ("reason", "B's token"));
        Assert.Equal(HttpStatusCode.Redirect, withBsToken.StatusCode);
    }

    [Fact]
    public async Task ActionPost_WithATokenFromBeforeSigningInAgain_IsRefused()
    {
        await using var f = await StartAsync();
        using var browser = Browser(f);
        await SignInAsync(f, browser, await TokenAsync(f, "alice"));
        var stale = await PageTokenAsync(browser);

        await SignInAsync(f, browser, await TokenAsync(f, "bob"));
        using var withStaleToken = await browser.PostFormAsync(Freeze, f.Url, stale, ("reason", "previous session's page"));

        await AssertRefusedAsync(f, withStaleToken);
        using var withNewToken = await browser.PostFormAsync(Freeze, f.Url, await PageTokenAsync(browser), ("reason", "this session's page"));
        Assert.Equal(HttpStatusCode.Redirect, withNewToken.StatusCode);
    }

    // The session cookie still opens (its access token was revoked): the sign-in form is bound to no session, so it works.
    [Fact]
    public async Task SignIn_WhileTheBrowserCarriesASessionWhoseTokenWasRevoked_Works()
    {
        await using var f = await StartAsync();
        using var browser = Browser(f);
        await SignInAsync(f, browser, await TokenAsync(f, "alice"));
        await new AccessTokenService(f.Store.AccessTokens, f.Store, TimeProvider.System).RevokeAsync(f.Manifest.App, "alice", "test", null, CancellationToken.None);

        await SignInAsync(f, browser, await TokenAsync(f, "bob"));

        using var page = await browser.GetAsync("/dashboard/environments");
        Assert.Contains("Signed in as <strong data-testid=\"actor\"><bdi>token:bob</bdi></strong>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusedAsync(GatewayFixture f, HttpResponseMessage answer)
    {
        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("antiforgery token is missing or does not match; reload the page and try again", WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await f.Store.Environments.GetAsync(f.Manifest.App, "staging", default)).Frozen);
    }

    private static async Task<GatewayFixture> StartAsync()
    {
        var f = await GatewayFixture.CreateAsync();
        try
        {
            await f.StartAsync(server: o => o with { Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store }, Dashboard = new DashboardOptions() });
            return f;
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    private static ProxiedClient Browser(GatewayFixture f, Dictionary<string, string>? cookies = null) =>
        new(f.Url, new Dictionary<string, string>(), cookies: cookies);

    private static async Task<string> TokenAsync(GatewayFixture f, string name) =>
        (await new AccessTokenService(f.Store.AccessTokens, f.Store, TimeProvider.System).CreateAsync(f.Manifest.App, "*", Role.Owner, name, "test", default)).Secret;

    private static async Task SignInAsync(GatewayFixture f, ProxiedClient browser, string token)
    {
        using var form = await browser.GetAsync("/dashboard/sign-in");
        using var signedIn = await browser.PostFormAsync("/dashboard/sign-in", f.Url, await ProxiedClient.CsrfAsync(form), ("token", token));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/environments", signedIn.Headers.Location!.ToString());
    }

    /// <summary>The form token of a signed-in page (its sign-out form), as the browser holds it now.</summary>
    private static async Task<string> PageTokenAsync(ProxiedClient browser)
    {
        using var page = await browser.GetAsync("/dashboard/env/staging/history");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await ProxiedClient.CsrfAsync(page);
    }
}
