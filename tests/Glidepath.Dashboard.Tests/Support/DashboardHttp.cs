using System.Net;
using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// A real gateway serving the admin API and the dashboard (the gateway tests' world: v1 stable in staging, v2 registered,
/// a real SQLite store), and browsers as cookie jars over real HTTP: for what the server answers, without Chromium.
/// </summary>
internal sealed class DashboardHttp : IAsyncDisposable
{
    private readonly List<ProxiedClient> _browsers = [];

    private DashboardHttp(GatewayFixture fixture) => F = fixture;

    public GatewayFixture F { get; }
    public string App => F.Manifest.App;
    public Seed Seed => new(F);

    public static async Task<DashboardHttp> StartAsync()
    {
        var f = await GatewayFixture.CreateAsync();
        try
        {
            await f.StartAsync(server: o => o with { Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store }, Dashboard = new DashboardOptions() });
            return new DashboardHttp(f);
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    /// <summary>A browser signed in with a new access token of <paramref name="role"/> in every environment; its actor is <c>token:NAME</c>.</summary>
    public async Task<ProxiedClient> SignedInAsync(Role role, string name)
    {
        var token = (await new AccessTokenService(F.Store.AccessTokens, F.Store, TimeProvider.System).CreateAsync(App, "*", role, name, "test", default)).Secret;
        var browser = new ProxiedClient(F.Url, new Dictionary<string, string>());
        _browsers.Add(browser);
        using var form = await browser.GetAsync("/dashboard/sign-in");
        using var signedIn = await browser.PostFormAsync("/dashboard/sign-in", F.Url, await ProxiedClient.CsrfAsync(form), ("token", token));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    /// <summary>The status and HTML of the page at <paramref name="path"/>.</summary>
    public static async Task<(HttpStatusCode Status, string Html)> PageAsync(ProxiedClient browser, string path)
    {
        using var page = await browser.GetAsync(path);
        return (page.StatusCode, await page.Content.ReadAsStringAsync());
    }

    /// <summary>Posts <paramref name="fields"/> with the form token of a page of the browser's session (staging's History).</summary>
    public async Task<HttpResponseMessage> PostAsync(ProxiedClient browser, string path, params (string Name, string Value)[] fields)
    {
        using var page = await browser.GetAsync("/dashboard/env/staging/history");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await browser.PostFormAsync(path, F.Url, await ProxiedClient.CsrfAsync(page), fields);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers)
        {
            browser.Dispose();
        }

        await F.DisposeAsync();
    }
}
