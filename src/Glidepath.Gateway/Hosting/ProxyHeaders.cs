using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Applies the scheme (and host) forwarded by the reverse proxies the operator named to the control plane's requests
/// (<c>/admin/v1</c>, <c>/dashboard</c>), with ASP.NET Core's forwarded-headers middleware, so the dashboard's origin
/// check and its <c>Secure</c> cookies see the browser's <c>https://</c>. Only the named proxies are believed: the
/// middleware's own lists are set to exactly them (its defaults, loopback, cleared), and a request from anywhere else,
/// a Unix socket included unless named, never reaches it. Chat traffic is left alone: nothing on its path reads the
/// scheme, and the middleware would cost each request a few allocations.
/// </summary>
/// <remarks>
/// <c>X-Forwarded-For</c> is not read: nothing in the gateway uses the caller's address (keys, roles and limits are
/// per credential), and the connection's address stays the proxy's, the one fact the trust above rests on.
/// </remarks>
internal static class ProxyHeaders
{
    public static void Use(IApplicationBuilder app, TrustedProxies proxies)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(proxies);
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedProto | (proxies.Hosts.Count > 0 ? ForwardedHeaders.XForwardedHost : ForwardedHeaders.None),
            // The value the last proxy (the named one) set; anything to its left came from further away.
            ForwardLimit = 1,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var address in proxies.Addresses)
        {
            options.KnownProxies.Add(address);
        }

        foreach (var network in proxies.Networks)
        {
            options.KnownIPNetworks.Add(network);
        }

        foreach (var host in proxies.Hosts)
        {
            options.AllowedHosts.Add(host);
        }

        // The middleware believes a connection without an address (a Unix socket), and with both lists empty (only
        // 'unix' named) it would believe everyone: the decision is made here first, and its lists are a second lock.
        app.UseWhen(
            http => ListenerGate.IsControlPlane(http.Request.Path) && proxies.Includes(http.Connection.RemoteIpAddress),
            branch => branch.UseForwardedHeaders(options));
    }
}
