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
    /// Why a form post is not known to come from this origin, or null when it is: an <c>Origin</c> other than this one
    /// (<c>null</c> included), <c>Sec-Fetch-Site</c> cross-site or same-site (a sibling subdomain), or neither header
    /// saying this origin (<c>Sec-Fetch-Site: none</c> without <c>Origin</c> included).
    /// Every current browser sends <c>Origin</c> with a form POST, so a request without either is not one of this
    /// dashboard's forms (an old browser, a script); the antiforgery token alone is not taken as proof of where it came from.
    /// </summary>
    public static string? CrossOriginRefusal(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return "refused: this form was posted from another site";
        }

        // "none" (a navigation the user started: a bookmark, a typed address) says nothing about a form's origin, and a
        // browser posting a form sends Origin besides: believed only with this Origin, like no Sec-Fetch-Site at all.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site != "none")
        {
            return site == "same-origin" ? null : "refused: this form was posted from another site";
        }

        return origin.Length > 0
            ? null
            : "refused: the request does not say where it comes from (no Origin or Sec-Fetch-Site header saying this origin); post the form from the dashboard's page in a current browser";
    }
}
