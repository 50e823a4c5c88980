using System.Net;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Which listen addresses reach beyond this machine. Binding one (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, a LAN address or
/// a host name) turns callers' keys on by default (<see cref="GatewayAuthentication"/>) and deserves a note at start.
/// </summary>
internal static class ListenExposure
{
    /// <summary>The URLs among <paramref name="urls"/> whose host is not loopback (localhost, 127.0.0.0/8, ::1).</summary>
    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> urls) => [.. urls.Where(u => !IsLoopback(u))];

    public static bool IsLoopback(string url) => IsLoopbackName(Host(url));

    /// <summary>Whether a host name (no port) names this machine's loopback: <c>localhost</c>, 127.0.0.0/8 or <c>[::1]</c>.</summary>
    public static bool IsLoopbackName(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IsLoopback(ip);
    }

    public static bool IsLoopback(IPAddress ip) => IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip);

    /// <summary>The warning printed on stderr and logged when some address is exposed; null when all are loopback.</summary>
    public static string? Warning(IReadOnlyList<string> exposed, bool keysRequired) => exposed.Count == 0
        ? null
        : keysRequired
            ? $"NOTE: the gateway listens on {string.Join(", ", exposed)}, which other machines can reach. Chat and feedback need a caller's key; " +
              "/metrics needs an access token with a role in the environment it serves (or its own port, --metrics-urls) and the admin API one with the role of its operation. See docs/security.md."
            : $"WARNING: the gateway listens on {string.Join(", ", exposed)}, which other machines can reach, and serves without keys (--allow-anonymous): " +
              "anyone who can connect can send chat requests billed to your provider keys and send feedback (/metrics and the admin API still need an access token). " +
              "Create keys ('glidepath keys create') and drop --allow-anonymous, or restrict access by network. See docs/security.md.";

    /// <summary>
    /// The warning printed and logged when the admin API and the dashboard (<paramref name="controlPlaneUrls"/>) listen on
    /// plain http on an address other machines can reach, so access tokens and session cookies would cross the network
    /// readable; null when every such listener is loopback, a Unix socket or https, or when a reverse proxy is named
    /// (<paramref name="behindProxy"/>: the operator has put TLS in front).
    /// </summary>
    public static string? ClearTextWarning(IEnumerable<string> controlPlaneUrls, bool behindProxy)
    {
        ArgumentNullException.ThrowIfNull(controlPlaneUrls);
        if (behindProxy)
        {
            return null;
        }

        var clear = ClearNonLoopback(controlPlaneUrls);
        return clear.Count == 0 ? null
            : $"WARNING: the admin API and the dashboard listen on plain http on {string.Join(", ", clear)}, which other machines can reach: " +
              "access tokens and session cookies cross the network readable. Put a TLS-terminating reverse proxy in front and name it " +
              "with --forwarded-from (docs/deploy.md), or listen on loopback.";
    }

    /// <summary>
    /// The warning printed and logged when <c>/metrics</c> has its own listener (<paramref name="metricsUrls"/>, served
    /// there without a token) on plain http on an address other machines can reach: its release labels, canary arm and
    /// cost are what an access token of another environment is refused. Null when every such listener is loopback, a
    /// Unix socket or https.
    /// </summary>
    public static string? MetricsWarning(IEnumerable<string> metricsUrls)
    {
        var clear = ClearNonLoopback(metricsUrls);
        return clear.Count == 0 ? null
            : $"WARNING: /metrics listens on plain http on {string.Join(", ", clear)}, which other machines can reach, and answers " +
              "there without a token: anyone who can connect reads its release labels, canary arm and cost. Listen on loopback " +
              "(a bare --metrics-urls port binds 127.0.0.1), or restrict access by network. See docs/security.md.";
    }

    private static List<string> ClearNonLoopback(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        return [.. urls.Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            && !u.StartsWith("http://unix:", StringComparison.OrdinalIgnoreCase) && !IsLoopback(u))];
    }

    /// <summary>The host part of a Kestrel URL such as <c>http://0.0.0.0:4000</c>, <c>http://[::1]:4000</c> or <c>http://*:4000</c>.</summary>
    private static string Host(string url)
    {
        var rest = url;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            rest = rest[(scheme + 3)..];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            rest = rest[..slash];
        }

        if (rest.StartsWith('['))
        {
            var end = rest.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? rest[..(end + 1)] : rest;
        }

        var colon = rest.LastIndexOf(':');
        return colon >= 0 ? rest[..colon] : rest;
    }
}
