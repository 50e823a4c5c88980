using System.Net;
using Glidepath.Gateway.Admin;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>The forwarded scheme from a named proxy reaches the control plane only: the traffic path never reads it.</summary>
public sealed class ProxyHeadersTests
{
    [Fact]
    public async Task TrafficPath_ANamedProxysForwardedScheme_IsNotApplied()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(server: o => o with
        {
            Admin = new AdminOptions { Manifest = f.Manifest, Store = f.Store },
            ForwardedFrom = TrustedProxies.Parse(["127.0.0.1"], ["gp.example.com"]),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, f.Url + "/chat/completions") { Content = new StringContent(GatewayFixture.Chat(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "gp.example.com");

        using var answer = await f.Http.SendAsync(request);

        // The 404's hint names the host the request addressed (not the forwarded one), and no scheme: behind a TLS proxy
        // the connection's own (http) is not the caller's.
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.Contains("base URL ends in /v1 (" + new Uri(f.Url).Authority + "/v1)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gp.example.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", text, StringComparison.Ordinal);
    }
}
