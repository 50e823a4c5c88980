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
/// Two hosts behind one load balancer, over real HTTP on one store: a gateway (<c>serve</c>) and a dashboard host
/// (<c>glidepath dashboard</c>). Given the same session key (<c>--session-key-env</c>), a sign-in on the one holds on the
/// other and a form from the one's page is accepted by the other (in that session only); given another secret, or none,
/// the other refuses both.
/// The browser is one cookie jar sent to whichever host the balancer picks, as a browser at one origin does.
/// </summary>
public sealed class SharedSessionKeyTests
{
    private const string Secret = "k7Qp2Vx9Lr4Tz8Nw1Hc6Jm3Bf5Gd0Sa+shared/by/every/gateway=";
    private const string OtherSecret = "Z3m8Qw1Ke6Rt9Yu2Io5Pa7Sd0Fg4Hj+another/deployment/here=";
    private const string Origin = "http://gp.example.com";

    private static readonly Dictionary<string, string> ThroughTheBalancer = new() { ["Host"] = "gp.example.com" };

    [Fact]
    public async Task SameSecret_SignInOnOneHost_HoldsOnTheOther_AndTheOnesFormTokenIsAcceptedThere()
    {
        var key = Key(Secret);
        await using var f = await StartGatewayAsync(key);
        var token = await TokenAsync(f, Role.Owner, "alice");
        // Its own key, derived again from the secret: nothing is shared between the two hosts but the secret.
        await using var other = await StartDashboardAsync(f, Key(Secret));
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        using var onA = new ProxiedClient(f.Url, ThroughTheBalancer, cookies: jar);
        using var onB = new ProxiedClient(other.Urls[0], ThroughTheBalancer, cookies: jar);

        using var freezeOnB = await FreezeOnBAsync(onA, onB, token, "posted to the other host");
        using var pageOnB = await onB.GetAsync("/dashboard/env/staging/history");

        Assert.Equal(HttpStatusCode.Redirect, freezeOnB.StatusCode);
        Assert.Contains("done=freeze", freezeOnB.Headers.Location!.ToString(), StringComparison.Ordinal);
        var last = (await f.Store.Environments.HistoryAsync(f.Manifest.App, "staging", default))[^1];
        Assert.Equal(("freeze", "token:alice", "posted to the other host"), (last.Kind, last.Actor, last.Reason));
        Assert.Equal(HttpStatusCode.OK, pageOnB.StatusCode);
        Assert.Contains("Signed in as <strong data-testid=\"actor\"><bdi>token:alice</bdi></strong>", await pageOnB.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // B read A's session and antiforgery cookies as they were: it set none of its own. Both were protected with the
        // key derived from the secret (its id heads every payload), not with a key ring the two hosts happen to share.
        Assert.Empty(onB.SetCookies);
        Assert.Equal(key.KeyId, ProtectedWith(jar["glidepath_session"]));
        Assert.Equal(key.KeyId, ProtectedWith(jar["glidepath_csrf"]));
    }

    // The shared key makes every host read every session's tokens: still, a token is good only with its own session.
    [Fact]
    public async Task SameSecret_ASessionsFormToken_IsRefusedOnTheOtherHostWithAnotherSessionsCookie()
    {
        await using var f = await StartGatewayAsync(Key(Secret));
        await using var other = await StartDashboardAsync(f, Key(Secret));
        var jarOfA = new Dictionary<string, string>(StringComparer.Ordinal);
        using var sessionA = new ProxiedClient(f.Url, ThroughTheBalancer, cookies: jarOfA);
        using var signedInA = await SignInAsync(sessionA, await TokenAsync(f, Role.Owner, "alice"));
        using var historyOfA = await sessionA.GetAsync("/dashboard/env/staging/history");
        // Session B on the other host, in a browser holding A's antiforgery cookie: only the session differs.
        var jarOfB = new Dictionary<string, string>(StringComparer.Ordinal) { ["glidepath_csrf"] = jarOfA["glidepath_csrf"] };
        using var sessionB = new ProxiedClient(other.Urls[0], ThroughTheBalancer, cookies: jarOfB);
        using var signedInB = await SignInAsync(sessionB, await TokenAsync(f, Role.Owner, "bob"));
        Assert.Equal((HttpStatusCode.Redirect, HttpStatusCode.Redirect), (signedInA.StatusCode, signedInB.StatusCode));

        using var withAsToken = await sessionB.PostFormAsync("/dashboard/env/staging/actions/freeze", Origin, await ProxiedClient.CsrfAsync(historyOfA), ("reason", "A's token, B's session"));

        Assert.Equal(HttpStatusCode.Forbidden, withAsToken.StatusCode);
        Assert.Contains("antiforgery token is missing or does not match; reload the page and try again", WebUtility.HtmlDecode(await withAsToken.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await f.Store.Environments.GetAsync(f.Manifest.App, "staging", default)).Frozen);
        using var historyOfB = await sessionB.GetAsync("/dashboard/env/staging/history");
        using var withBsToken = await sessionB.PostFormAsync("/dashboard/env/staging/actions/freeze", Origin, await ProxiedClient.CsrfAsync(historyOfB), ("reason", "B's own token"));
        Assert.Equal(HttpStatusCode.Redirect, withBsToken.StatusCode);
    }

    [Theory]
    [InlineData(OtherSecret)]
    [InlineData(null)]
    public async Task AnotherSecretOrNone_TheOtherHostRefusesTheCookieAndTheFormToken(string? otherSecret)
    {
        await using var f = await StartGatewayAsync(Key(Secret));
        var token = await TokenAsync(f, Role.Owner, "alice");
        await using var other = await StartDashboardAsync(f, otherSecret is null ? null : Key(otherSecret));
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        using var onA = new ProxiedClient(f.Url, ThroughTheBalancer, cookies: jar);
        using var onB = new ProxiedClient(other.Urls[0], ThroughTheBalancer, cookies: jar);

        using var freezeOnB = await FreezeOnBAsync(onA, onB, token, "posted to the other host");
        using var pageOnB = await onB.GetAsync("/dashboard/env/staging/history");

        Assert.Equal(HttpStatusCode.Forbidden, freezeOnB.StatusCode);
        Assert.Contains("antiforgery token is missing or does not match", WebUtility.HtmlDecode(await freezeOnB.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await f.Store.Environments.GetAsync(f.Manifest.App, "staging", default)).Frozen);
        Assert.Equal(HttpStatusCode.Redirect, pageOnB.StatusCode);
        Assert.Equal("/dashboard/sign-in?return=%2Fdashboard%2Fenv%2Fstaging%2Fhistory", pageOnB.Headers.Location!.ToString());
    }

    [Fact]
    public async Task SameSecret_AnotherApp_RefusesTheFormToken()
    {
        await using var f = await StartGatewayAsync(Key(Secret));
        var token = await TokenAsync(f, Role.Owner, "alice");
        await using var otherApp = await GatewayFixture.CreateAsync(editManifest: y => y.Replace("app: support-agent", "app: other-agent", StringComparison.Ordinal));
        await using var other = await StartDashboardAsync(otherApp, Key(Secret));
        var jar = new Dictionary<string, string>(StringComparer.Ordinal);
        using var onA = new ProxiedClient(f.Url, ThroughTheBalancer, cookies: jar);
        using var onB = new ProxiedClient(other.Urls[0], ThroughTheBalancer, cookies: jar);

        using var freezeOnB = await FreezeOnBAsync(onA, onB, token, "posted to another app");

        // The app's name is in the purposes, so the token does not even open there (without it, it would, and only the
        // credential check against the other app's tokens would refuse the post).
        Assert.Equal(HttpStatusCode.Forbidden, freezeOnB.StatusCode);
        Assert.Contains("antiforgery token is missing or does not match", WebUtility.HtmlDecode(await freezeOnB.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.False((await otherApp.Store.Environments.GetAsync("other-agent", "staging", default)).Frozen);
    }

    /// <summary>
    /// The id of the data-protection key a cookie was protected with: a protected payload (base64url) opens with a 32-bit
    /// magic header, then the key's id.
    /// </summary>
    private static Guid ProtectedWith(string cookie)
    {
        var base64 = cookie.Replace('-', '+').Replace('_', '/');
        var payload = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
        Assert.Equal([0x09, 0xF0, 0xC9, 0xF0], payload[..4]);
        return new Guid(payload.AsSpan(4, 16));
    }

    /// <summary>The key from a variable set to <paramref name="secret"/>, read as <c>--session-key-env</c> reads it.</summary>
    private static SessionKey Key(string secret) => SessionKey.FromEnvironmentVariable("GLIDEPATH_SESSION_KEY", name => name == "GLIDEPATH_SESSION_KEY" ? secret : null);

    private static async Task<GatewayFixture> StartGatewayAsync(SessionKey key)
    {
        var f = await GatewayFixture.CreateAsync();
        try
        {
            await f.StartAsync(server: o => o with
            {
                Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store },
                Dashboard = new DashboardOptions { SessionKey = key },
            });
            return f;
        }
        catch
        {
            await f.DisposeAsync();
            throw;
        }
    }

    private static Task<DashboardServer> StartDashboardAsync(GatewayFixture f, SessionKey? key) =>
        DashboardServer.StartAsync(new AdminOptions { Manifest = f.Manifest, Store = f.Store }, new DashboardOptions { SessionKey = key }, ["http://127.0.0.1:0"], null, LogLevel.Warning, logsToStderr: false, CancellationToken.None);

    private static async Task<string> TokenAsync(GatewayFixture f, Role role, string name) =>
        (await new AccessTokenService(f.Store.AccessTokens, f.Store, TimeProvider.System).CreateAsync(f.Manifest.App, "*", role, name, "test", default)).Secret;

    private static async Task<HttpResponseMessage> SignInAsync(ProxiedClient browser, string token)
    {
        using var form = await browser.GetAsync("/dashboard/sign-in");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        return await browser.PostFormAsync("/dashboard/sign-in", Origin, await ProxiedClient.CsrfAsync(form), ("token", token));
    }

    /// <summary>Signs in on A, then posts a freeze to B with the form token of A's page (as a browser behind a balancer would).</summary>
    private static async Task<HttpResponseMessage> FreezeOnBAsync(ProxiedClient onA, ProxiedClient onB, string token, string reason)
    {
        using var signedIn = await SignInAsync(onA, token);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var historyOnA = await onA.GetAsync("/dashboard/env/staging/history");
        return await onB.PostFormAsync("/dashboard/env/staging/actions/freeze", Origin, await ProxiedClient.CsrfAsync(historyOnA), ("reason", reason));
    }
}
