using System.Globalization;
using System.Net;
using Glidepath.Errors;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Binds Kestrel to the gateway's, the admin API's and the metrics' URLs, tagging every connection with the
/// <see cref="Listener"/> it arrived on, so one process serves each on its own port (port 0: a free one each).
/// </summary>
internal static class ListenEndpoints
{
    private static readonly object Key = new();

    /// <summary>Listens on every URL of <paramref name="urls"/> as <paramref name="listener"/>.</summary>
    /// <returns>The listen options, whose <see cref="ListenOptions.IPEndPoint"/> holds the port chosen once Kestrel has started.</returns>
    /// <param name="maxConnections">Null: no cap; else the most connections open at once over all of <paramref name="urls"/> (<see cref="ConnectionCap"/>).</param>
    public static List<ListenOptions> Bind(KestrelServerOptions kestrel, IEnumerable<string> urls, Listener listener, int? maxConnections = null)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var bound = new List<ListenOptions>();
        var cap = maxConnections is { } max ? new ConnectionCap(max) : null;
        foreach (var url in urls)
        {
            var (address, port) = Parse(url);
            kestrel.Listen(address, port, o =>
            {
                if (cap is not null)
                {
                    o.Use(cap.Middleware);
                }

                o.Use(next => connection =>
                {
                    connection.Items[Key] = listener;
                    return next(connection);
                });
                bound.Add(o);
            });
        }

        return bound;
    }

    /// <summary>The listener a request's connection arrived on; <see cref="Listener.Main"/> when untagged (a single-listener host).</summary>
    public static Listener Of(HttpContext http) =>
        http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Key, out var value) == true && value is Listener l ? l : Listener.Main;

    /// <summary>
    /// <c>http://HOST:PORT</c> as an address and port: <c>localhost</c> is 127.0.0.1, <c>*</c>, <c>+</c> and <c>0.0.0.0</c> are
    /// every IPv4 address, <c>[::]</c> every address. A bare port is 127.0.0.1 (loopback by default).
    /// </summary>
    public static (IPAddress Address, int Port) Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (int.TryParse(url, NumberStyles.None, CultureInfo.InvariantCulture, out var bare) && bare <= 65535)
        {
            return (IPAddress.Loopback, bare);
        }

        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            throw new BadInputException($"listen URL '{url}' is not http://HOST:PORT (or a bare port for 127.0.0.1); a separate admin or metrics port takes plain http — put TLS in front of it");
        }

        var rest = url["http://".Length..].TrimEnd('/');
        var colon = rest.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new BadInputException($"listen URL '{url}' has no port; expected http://HOST:PORT, e.g. http://127.0.0.1:4001");
        }

        var host = rest[..colon];
        var address = Address(host)
            ?? throw new BadInputException($"listen URL '{url}': '{host}' is not an IP address, localhost or *; name the address to bind");
        return (address, port);
    }

    // The address a URL's host binds; null for a name.
    private static IPAddress? Address(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "+" or "0.0.0.0" => IPAddress.Any,
            "[::]" => IPAddress.IPv6Any,
            _ when IPAddress.TryParse(host.Trim('[', ']'), out var ip) => ip,
            _ => null,
        };
    }

    /// <summary>The URL Kestrel reports for a bound address, for messages and tests.</summary>
    public static string Url(IPAddress address, int port) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"http://[{address}]:{port}" : $"http://{address}:{port}";
}
