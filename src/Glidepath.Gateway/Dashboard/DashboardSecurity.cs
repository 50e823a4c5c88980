using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The headers every dashboard answer carries, and the same-origin check of its forms. The policy allows script and
/// style only from the dashboard's own files (no inline script, no eval, no other origin), no framing (clickjacking),
/// forms posted only back here, and nothing cached.
/// </summary>
internal static class DashboardSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Headers(HttpResponse response)
    {
        var h = response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XFrameOptions = "DENY";
        h.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with its form posts, and the
        // same-origin check below needs the real one. Other sites still get no referrer.
        h["Referrer-Policy"] = "same-origin";
        h["Cross-Origin-Opener-Policy"] = "same-origin";
        h["Cross-Origin-Resource-Policy"] = "same-origin";
        h["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        // As the antiforgery service wants it for pages with a form token (it would otherwise override and log).
        h.CacheControl = "no-cache, no-store";
        h.Pragma = "no-cache";
    }

    /// <summary>
    /// False when the browser says the request comes from another site: an <c>Origin</c> other than this one, or
    /// <c>Sec-Fetch-Site</c> cross-site or same-site (a sibling subdomain). A request without either (an old browser,
    /// curl) still needs the antiforgery token, which another site cannot read.
    /// </summary>
    public static bool SameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site.Length == 0 || site is "same-origin" or "none";
    }
}
