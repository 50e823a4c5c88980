using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// A real gateway on 127.0.0.1 (port chosen at run time) serving the admin API and the dashboard over the gateway tests'
/// world (the sample app, v1 stable in staging, v2 registered, a real SQLite store in a temporary folder), and the
/// browser-side helpers: sign in with a token, open pages that record console errors, take screenshots.
/// </summary>
internal sealed class DashboardHarness : IAsyncDisposable
{
    private readonly List<IBrowserContext> _contexts = [];

    private DashboardHarness(GatewayFixture fixture, IBrowser browser)
    {
        F = fixture;
        Browser = browser;
    }

    public GatewayFixture F { get; }
    public IBrowser Browser { get; }
    public string Url => F.Server!.AdminUrls.Count > 0 ? F.Server.AdminUrls[0] : F.Url;
    public string App => F.Manifest.App;
    public Seed Seed => new(F);

    /// <param name="editManifest">Rewrites the sample's manifest before the releases are registered (e.g. <c>content: all</c>).</param>
    public static async Task<DashboardHarness> StartAsync(IBrowser browser, Func<GatewayServerOptions, GatewayServerOptions>? server = null, Func<string, string>? editManifest = null)
    {
        var f = await GatewayFixture.CreateAsync(editManifest: editManifest);
        try
        {
            await f.StartAsync(server: o =>
            {
                var with = o with
                {
                    Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store },
                    Dashboard = new DashboardOptions { LivePoll = TimeSpan.FromMilliseconds(150) },
                };
                return server?.Invoke(with) ?? with;
            });
            return new DashboardHarness(f, browser);
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new access token, as 'glidepath tokens create' makes it; its actor is <c>token:NAME</c>.</summary>
    public async Task<string> TokenAsync(Role role, string name, string environment = "*") =>
        (await new AccessTokenService(F.Store.AccessTokens, F.Store, TimeProvider.System).CreateAsync(App, environment, role, name, "test", default)).Secret;

    /// <summary>A new browser context (its own cookies) at <paramref name="width"/>×<paramref name="height"/>, signed in with <paramref name="token"/>.</summary>
    /// <param name="through">Where the browser reaches the gateway (a <see cref="TcpRelay"/>'s URL); default <see cref="Url"/>.</param>
    public async Task<BrowserPage> SignedInAsync(string token, int width = 1280, int height = 800, string? through = null)
    {
        var page = await NewPageAsync(width, height);
        await page.Page.GotoAsync((through ?? Url) + "/dashboard/sign-in");
        await page.Page.GetByLabel("Access token").FillAsync(token);
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            // Reached when the URL is the environments page and the signed-in shell shows; never the page's load event.
            // Not WaitForURLAsync: when the navigation has already committed by the time it is called, it waits for the
            // load event whatever WaitUntil says (Playwright maps Commit to no state, then to Load), and the live page
            // was seen never to fire it with the whole page on screen: two clean-clone CI runs failed that way.
            await Assertions.Expect(page.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/environments$"));
            await page.Page.GetByTestId("actor").WaitForAsync();
        }
        catch (Exception ex) when (ex is TimeoutException or PlaywrightException)
        {
            throw new InvalidOperationException("sign-in did not reach the environments page: " + page.Page.Url + "\n" + await page.Page.InnerTextAsync("body") + "\n" + string.Join("\n", page.Errors));
        }

        return page;
    }

    public async Task<BrowserPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        _contexts.Add(context);
        context.SetDefaultTimeout(Chromium.WaitMs);
        return new BrowserPage(await context.NewPageAsync());
    }

    /// <summary>Where screenshots go: <c>GLIDEPATH_SCREENSHOTS</c>, or <c>screenshots/</c> beside the test assembly.</summary>
    public static string ScreenshotDir
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("GLIDEPATH_SCREENSHOTS") is { Length: > 0 } d ? d : Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }

        await F.DisposeAsync();
    }
}

/// <summary>A page that keeps every console error and uncaught script error it saw.</summary>
internal sealed class BrowserPage
{
    public BrowserPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text} ({page.Url})");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page error: {error} ({page.Url})");
    }

    public IPage Page { get; }
    public List<string> Errors { get; } = [];
}
