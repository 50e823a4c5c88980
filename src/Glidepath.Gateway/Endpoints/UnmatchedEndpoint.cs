using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// A request under <c>/v1/</c> that no endpoint takes: a known path with another method is a 405 naming the method it
/// takes (with <c>Allow</c>), any other path a 404 listing the paths there are, both with a body in the caller's format
/// (Anthropic's for a path under <c>/v1/messages</c> or a caller that looks like an Anthropic SDK, <see cref="CallerWire"/>), as every gateway error is. Routing's
/// own answers had no body, which an SDK reports as an unexplained failure.
/// </summary>
internal static class UnmatchedEndpoint
{
    /// <summary>The route that catches them: lowest precedence, so every endpoint of the group is tried first.</summary>
    public const string Pattern = "/v1/{**rest}";

    /// <summary>
    /// Tried after every route of default order, so a host that maps its own catch-all under <c>/v1</c> (a proxy route
    /// for <c>/v1/embeddings</c>) keeps it, instead of an ambiguous match; just before a host's fallback.
    /// </summary>
    public const int Order = int.MaxValue - 1;

    private static readonly (string Path, string Method)[] Known =
    [
        ("/v1/chat/completions", "POST"),
        ("/v1/messages", "POST"),
        ("/v1/feedback", "POST"),
        ("/v1/models", "GET"),
        ("/v1/models/{id}", "GET"),
    ];

    public static Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value?.TrimEnd('/') ?? "";
        var wire = CallerWire.Of(http.Request);
        foreach (var (known, method) in Known)
        {
            if (Matches(path, known))
            {
                http.Response.Headers.Allow = method;
                return HttpAnswers.ErrorAsync(http, wire, StatusCodes.Status405MethodNotAllowed, ErrorKinds.InvalidRequest,
                    $"{known} takes {method}, not {http.Request.Method}");
            }
        }

        return HttpAnswers.ErrorAsync(http, wire, StatusCodes.Status404NotFound, ErrorKinds.NotFound,
            $"no endpoint at {http.Request.Method} {path}; the gateway serves {string.Join(", ", Known.Select(k => $"{k.Method} {k.Path}"))}");
    }

    /// <summary>
    /// The gateway's paths without their <c>/v1</c>: what an OpenAI SDK sends when its base URL is the gateway's address
    /// alone (its base URL ends in <c>/v1</c>; an Anthropic SDK's does not). A 404 that says so, in the caller's format.
    /// </summary>
    public static readonly string[] WithoutPrefix = ["/chat/completions", "/messages", "/models", "/feedback"];

    public static Task HandleWithoutPrefixAsync(HttpContext http)
    {
        var path = http.Request.Path.Value?.TrimEnd('/') ?? "";
        // No scheme: behind a TLS proxy the connection's own is http while the caller's is https (the traffic path does
        // not read forwarded headers), so the hint names only the host the caller addressed.
        var host = http.Request.Host.Value;
        return HttpAnswers.ErrorAsync(http, CallerWire.Of(http.Request), StatusCodes.Status404NotFound, ErrorKinds.NotFound,
            $"no endpoint at {http.Request.Method} {path}: the gateway's paths start with /v1 ({http.Request.Method} /v1{path}); an OpenAI SDK's base URL ends in /v1 ({host}/v1), an Anthropic SDK's is the address alone ({host})");
    }

    /// <summary>A known path, its <c>{id}</c> standing for one path segment.</summary>
    private static bool Matches(string path, string known)
    {
        var slot = known.IndexOf("/{", StringComparison.Ordinal);
        return slot < 0
            ? path.Equals(known, StringComparison.OrdinalIgnoreCase)
            : path.Length > slot + 1 && path.StartsWith(known[..(slot + 1)], StringComparison.OrdinalIgnoreCase) && !path.AsSpan(slot + 1).Contains('/');
    }
}
