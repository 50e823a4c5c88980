using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>
/// Images a caller sends, checked before they reach a provider SDK: an absolute http(s) URL, or base64 data of a
/// type both providers accept. Anything else is a 400 naming the part, never an exception from deep in an SDK.
/// </summary>
internal static class ImageParts
{
    private static readonly string[] MediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>OpenAI <c>image_url.url</c>: an http(s) URL or a <c>data:image/…;base64,…</c> URI.</summary>
    public static AIContent FromUrl(string url, string where)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',', StringComparison.Ordinal);
            var header = comma < 0 ? "" : url[5..comma];
            if (comma < 0 || !header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw WireException.BadRequest($"'{where}' is a data URI without ';base64,'; expected data:image/png;base64,<data>");
            }

            return FromBase64(url[(comma + 1)..], header[..^";base64".Length], where);
        }

        return Remote(url, where);
    }

    /// <summary>Base64 image data with its media type (Anthropic <c>source.type: base64</c>).</summary>
    public static DataContent FromBase64(string data, string mediaType, string where)
    {
        if (Array.IndexOf(MediaTypes, mediaType.ToLowerInvariant()) < 0)
        {
            throw WireException.BadRequest($"'{where}' has media type '{mediaType}'; expected one of {string.Join(", ", MediaTypes)}");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw WireException.BadRequest($"'{where}' is not valid base64");
        }

        return bytes.Length > 0 ? new DataContent(bytes, mediaType.ToLowerInvariant()) : throw WireException.BadRequest($"'{where}' has no image data");
    }

    /// <summary>An image by URL: absolute http or https only.</summary>
    public static UriContent Remote(string url, string where) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? new UriContent(uri, "image/*")
            : throw WireException.BadRequest($"'{where}' must be an absolute http(s) URL or a base64 data URI");
}
