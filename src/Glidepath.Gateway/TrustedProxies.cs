using System.Net;
using Glidepath.Errors;

namespace Glidepath.Gateway;

/// <summary>
/// The reverse proxies whose <c>X-Forwarded-Proto</c> (and, for the hosts named, <c>X-Forwarded-Host</c>) the admin API
/// and the dashboard believe (<c>--forwarded-from</c>, <c>--forwarded-host</c>). Behind a TLS-terminating proxy the
/// request reaches the gateway as plain http: without the forwarded scheme the dashboard's same-origin check refuses
/// the browser's <c>https://</c> origin and its session cookie is never <c>Secure</c>. A request from any other
/// address has those headers ignored, so no caller can make a plain-http request look https or move the origin.
/// </summary>
public sealed record TrustedProxies
{
    /// <summary>The value of <c>--forwarded-from</c> that names a proxy connecting through the Unix socket the host listens on.</summary>
    public const string UnixSocketName = "unix";

    /// <summary>Proxies by address (an IPv4-mapped IPv6 connection matches its IPv4 address).</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    /// <summary>Proxies by network (CIDR).</summary>
    public IReadOnlyList<IPNetwork> Networks { get; init; } = [];

    /// <summary>Connections without an IP address (a Unix socket, <c>http://unix:/path</c>) come from a named proxy.</summary>
    public bool UnixSocket { get; init; }

    /// <summary>
    /// The public host names an <c>X-Forwarded-Host</c> may carry (any port; <c>*.example.com</c> for subdomains); empty
    /// ignores the header, and the request's own <c>Host</c> (which the proxy passes on) stands.
    /// </summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>
    /// Reads <c>--forwarded-from ADDR|CIDR|unix</c> and <c>--forwarded-host HOST</c> values; null when neither is given
    /// (forwarded headers ignored, as without a proxy). Throws a <see cref="BadInputException"/> naming a value that is not
    /// an address or network, that would trust every caller (<c>0.0.0.0/0</c>, <c>*</c>), or a host without a proxy.
    /// </summary>
    public static TrustedProxies? Parse(IReadOnlyList<string> from, IReadOnlyList<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(hosts);
        if (from.Count == 0)
        {
            return hosts.Count == 0 ? null
                : throw new BadInputException("--forwarded-host needs --forwarded-from: X-Forwarded-Host is believed only from a proxy you name");
        }

        var addresses = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        var unix = false;
        foreach (var value in from)
        {
            var text = value.Trim();
            if (string.Equals(text, UnixSocketName, StringComparison.OrdinalIgnoreCase))
            {
                unix = true;
            }
            // An IPv4 address in full (IPAddress also reads "4000" and "10.1" as addresses: a port or a typo, not a proxy).
            else if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address)
                && (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || address.ToString() == text))
            {
                addresses.Add(Specific(address, value));
            }
            else if (IPNetwork.TryParse(text, out var network))
            {
                networks.Add(network.PrefixLength > 0 ? network
                    : throw new BadInputException($"--forwarded-from '{value}' trusts every caller: anyone could make a plain-http request look https; name the address (or network) your reverse proxy connects from"));
            }
            else
            {
                throw new BadInputException($"--forwarded-from '{value}' is not an IP address, a network (CIDR, e.g. 10.0.0.0/24) or 'unix'; name the address your reverse proxy connects from");
            }
        }

        return new TrustedProxies { Addresses = addresses, Networks = networks, UnixSocket = unix, Hosts = [.. hosts.Select(Host)] };
    }

    /// <summary>Whether a connection from <paramref name="remote"/> (null: a Unix socket) comes from a proxy named here.</summary>
    public bool Includes(IPAddress? remote)
    {
        if (remote is null)
        {
            return UnixSocket;
        }

        var v4 = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        foreach (var address in Addresses)
        {
            if (address.Equals(v4) || address.Equals(remote))
            {
                return true;
            }
        }

        foreach (var network in Networks)
        {
            if (network.Contains(v4) || network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The proxies as the options name them, normalised: addresses, networks, then <c>unix</c> (e.g. <c>10.0.0.2</c>, <c>10.1.0.0/16</c>, <c>unix</c>).</summary>
    public IReadOnlyList<string> Names() =>
        [.. Addresses.Select(a => a.ToString()), .. Networks.Select(n => n.ToString()), .. UnixSocket ? [UnixSocketName] : Array.Empty<string>()];

    /// <summary>The proxies as the options name them, e.g. <c>10.0.0.2, 10.1.0.0/16, unix</c>.</summary>
    public override string ToString() => string.Join(", ", Names());

    // An IPv4 address written IPv6-mapped (::ffff:10.0.0.2) is kept as IPv4: a proxy connecting over IPv4 matches it.
    private static IPAddress Specific(IPAddress address, string value) =>
        address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)
            ? throw new BadInputException($"--forwarded-from '{value}' is no address a proxy connects from (to a listener it means every address); name the address your reverse proxy connects from")
            : address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    // As ASP.NET Core's ForwardedHeadersOptions.AllowedHosts matches them: a name or address without a port, or *.name.
    private static string Host(string value)
    {
        var text = value.Trim();
        // The ones ASP.NET Core takes for "any host" and stops checking at.
        if (text is "*" or "*." or "[::]" or "0.0.0.0")
        {
            throw new BadInputException($"--forwarded-host '{value}' would accept any host; name the public host name browsers use, e.g. gp.example.com");
        }

        var name = text.StartsWith("*.", StringComparison.Ordinal) ? text[2..] : text;
        var ipv6 = name.Length > 2 && name.StartsWith('[') && name.EndsWith(']') && Uri.CheckHostName(name[1..^1]) == UriHostNameType.IPv6;
        var plain = name.Length > 0 && !name.Contains(':', StringComparison.Ordinal) && Uri.CheckHostName(name) != UriHostNameType.Unknown;
        return ipv6 || plain
            ? text
            : throw new BadInputException($"--forwarded-host '{value}' is not a host name without a port (any port matches), e.g. gp.example.com or *.example.com");
    }
}
