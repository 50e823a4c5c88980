using System.Net;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Dashboard;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// The dashboard behind a TLS-terminating reverse proxy, over real HTTP to Kestrel: the forwarded scheme (and a named
/// forwarded host) is believed from the proxies named with <c>--forwarded-from</c> only; from anyone else, or without the
/// option, the headers change nothing and the browser's https origin is refused as before.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string PublicOrigin = "https://gp.example.com";

    private static readonly Dictionary<string, string> ProxyForwardingHttps = new()
    {
        ["Host"] = "gp.example.com",
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-For"] = "203.0.113.7",
    };

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task SignInAndFreeze_ThroughANamedProxyForwardingHttps_WorkAndTheCookiesAreSecure(string proxy)
    {
        await using var f = await StartGatewayAsync(TrustedProxies.Parse([proxy], []));
        var token = await TokenAsync(f, Role.Owner, "alice");
        using var browser = new ProxiedClient(f.Url, ProxyForwardingHttps);

        using var signedIn = await SignInAsync(browser, token, PublicOrigin);
        using var history = await browser.GetAsync("/dashboard/env/staging/history");
        using var freeze = await browser.PostFormAsync("/dashboard/env/staging/actions/freeze", PublicOrigin, await ProxiedClient.CsrfAsync(history), ("reason", "behind the proxy"));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/dashboard/environments", signedIn.Headers.Location!.ToString());
        var session = browser.SetCookie("glidepath_session");
        Assert.NotNull(session);
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; secure", browser.SetCookie("glidepath_csrf"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, freeze.StatusCode);
        var state = await f.Store.Environments.GetAsync(f.Manifest.App, "staging", default);
        Assert.True(state.Frozen);
        var last = (await f.Store.Environments.HistoryAsync(f.Manifest.App, "staging", default))[^1];
        Assert.Equal(("freeze", "token:alice", "behind the proxy"), (last.Kind, last.Actor, last.Reason));
    }

    [Fact]
    public async Task SameHeaders_FromAProxyNotNamed_AreIgnored_AndTheSignInIsRefusedAsWithout()
    {
        await using var f = await StartGatewayAsync(TrustedProxies.Parse(["192.0.2.10", "198.51.100.0/24"], []));
        var token = await TokenAsync(f, Role.Owner, "alice");
        using var browser = new ProxiedClient(f.Url, ProxyForwardingHttps);

        await AssertRefusedAsync(browser, token, PublicOrigin);
        Assert.DoesNotContain("; secure", browser.SetCookie("glidepath_csrf"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WithoutForwardedFrom_TheForwardedSchemeIsIgnored_AndTheSignInIsRefused()
    {
        await using var f = await StartGatewayAsync(null);
        var token = await TokenAsync(f, Role.Owner, "alice");
        using var browser = new ProxiedClient(f.Url, ProxyForwardingHttps);

        await AssertRefusedAsync(browser, token, PublicOrigin);
    }

    [Fact]
    public async Task ForwardedHost_NamedWithForwardedHost_MovesTheOrigin_AndNoOtherHostDoes()
    {
        await using var f = await StartGatewayAsync(TrustedProxies.Parse(["127.0.0.1"], ["gp.example.com"]));
        var token = await TokenAsync(f, Role.Viewer, "vera");
        // The proxy passes the gateway's own Host, as nginx does by default, and says the public one in X-Forwarded-Host.
        using var named = new ProxiedClient(f.Url, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "gp.example.com" });
        using var other = new ProxiedClient(f.Url, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "evil.example" });

        using var signedIn = await SignInAsync(named, token, PublicOrigin);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        await AssertRefusedAsync(other, token, "https://evil.example");
    }

    [Fact]
    public async Task ForwardedHost_WithoutForwardedHost_IsIgnored_TheHostHeaderStands()
    {
        await using var f = await StartGatewayAsync(TrustedProxies.Parse(["127.0.0.1"], []));
        var token = await TokenAsync(f, Role.Viewer, "vera");
        using var browser = new ProxiedClient(f.Url, new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "gp.example.com" });

        await AssertRefusedAsync(browser, token, PublicOrigin);
    }

    [Fact]
    public async Task DashboardServer_NamedProxy_SignsIn_WithASecureCookie()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var token = await TokenAsync(f, Role.Viewer, "vera");
        await using var server = await StartDashboardAsync(f, ["http://127.0.0.1:0"], TrustedProxies.Parse(["127.0.0.1"], []));
        using var browser = new ProxiedClient(server.Urls[0], ProxyForwardingHttps);

        using var signedIn = await SignInAsync(browser, token, PublicOrigin);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("; secure", browser.SetCookie("glidepath_session"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task UnixSocket_BelievedOnlyWhenNamed()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var token = await TokenAsync(f, Role.Viewer, "vera");
        var socket = Path.Combine(f.Directory, "gp.sock");
        await using (var byAddress = await StartDashboardAsync(f, [$"http://unix:{socket}"], TrustedProxies.Parse(["127.0.0.1"], [])))
        {
            using var browser = new ProxiedClient("http://gp.example.com", ProxyForwardingHttps, socket);
            await AssertRefusedAsync(browser, token, PublicOrigin);
        }

        File.Delete(socket);
        await using (var named = await StartDashboardAsync(f, [$"http://unix:{socket}"], TrustedProxies.Parse(["unix"], [])))
        {
            using var browser = new ProxiedClient("http://gp.example.com", ProxyForwardingHttps, socket);
            using var signedIn = await SignInAsync(browser, token, PublicOrigin);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }
    }

    private static async Task<GatewayFixture> StartGatewayAsync(TrustedProxies? proxies)
    {
        var f = await GatewayFixture.CreateAsync();
        try
        {
            await f.StartAsync(server: o => o with
            {
                Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store },
                Dashboard = new DashboardOptions(),
                ForwardedFrom = proxies,
            });
            return f;
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    private static Task<DashboardServer> StartDashboardAsync(GatewayFixture f, string[] urls, TrustedProxies? proxies) =>
        DashboardServer.StartAsync(new AdminOptions { Manifest = f.Manifest, Store = f.Store }, new DashboardOptions(), urls, proxies, LogLevel.Warning, logsToStderr: false, CancellationToken.None);

    private static async Task<string> TokenAsync(GatewayFixture f, Role role, string name) =>
        (await new AccessTokenService(f.Store.AccessTokens, f.Store, TimeProvider.System).CreateAsync(f.Manifest.App, "*", role, name, "test", default)).Secret;

    /// <summary>Opens the sign-in page and posts the token from it, as a browser at <paramref name="origin"/> does.</summary>
    private static async Task<HttpResponseMessage> SignInAsync(ProxiedClient browser, string token, string origin)
    {
        using var form = await browser.GetAsync("/dashboard/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        return await browser.PostFormAsync("/dashboard/sign-in", origin, await ProxiedClient.CsrfAsync(form), ("token", token));
    }

    private static async Task AssertRefusedAsync(ProxiedClient browser, string token, string origin)
    {
        using var refused = await SignInAsync(browser, token, origin);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("refused: this form was posted from another site", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(browser.SetCookie("glidepath_session"));
    }
}
