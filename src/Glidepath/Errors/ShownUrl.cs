namespace Glidepath.Errors;

/// <summary>
/// A URL as a message may show it: scheme, host, port and path, never its user part or query. A user part holds a
/// password (<c>http://user:PASS@host</c>) and a query may hold a signature or a key (<c>?api-key=…</c>), and messages
/// reach callers, traces, logs and CI output. The one rule for every message that names a provider, a redirect's
/// target, a gateway or an admin API server.
/// </summary>
public static class ShownUrl
{
    /// <summary><paramref name="url"/> without user part, query or fragment; a relative one (a redirect's <c>Location</c>) likewise.</summary>
    public static string Of(Uri? url) => url switch
    {
        null => "no address",
        { IsAbsoluteUri: true } => url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped),
        _ => Of(url.OriginalString),
    };

    /// <summary>Text given as a URL (an option's value), shown without user part, query or fragment; text that is not one is shown as given.</summary>
    public static string Of(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return Of(absolute);
        }

        var path = url.Split('?', '#')[0];
        var scheme = path.IndexOf("//", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return path;
        }

        // "//user:pass@host/…" (a scheme-relative Location) or an address .NET did not parse: drop the user part.
        var authorityEnd = path.IndexOf('/', scheme + 2);
        var authority = authorityEnd < 0 ? path[(scheme + 2)..] : path[(scheme + 2)..authorityEnd];
        var at = authority.LastIndexOf('@');
        return at < 0 ? path : string.Concat(path.AsSpan(0, scheme + 2), path.AsSpan(scheme + 3 + at));
    }
}
