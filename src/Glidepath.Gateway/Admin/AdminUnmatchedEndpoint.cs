using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// A request under <c>/admin/v1</c> that no operation takes: a known path with another method is a 405 naming the
/// methods it takes (with <c>Allow</c>), any other path a 404 listing the operations there are, both in the admin error
/// shape (<c>{"error": …, "exit_code": 2}</c>), as the gateway's <see cref="Endpoints.UnmatchedEndpoint"/> does for
/// <c>/v1</c>. Routing's own answers had an empty body. The operations are read from the mapped endpoints (those that
/// carry an <see cref="AdminAccess"/>), so the list cannot drift from what is served. Outside the access filter: the
/// list is what the public OpenAPI document already says.
/// </summary>
internal static class AdminUnmatchedEndpoint
{
    /// <summary>The route that catches them, relative to the admin prefix.</summary>
    public const string Pattern = "/{**rest}";

    /// <summary>Tried after every route of default order (the operations and the OpenAPI document).</summary>
    public const int Order = int.MaxValue - 1;

    public static IResult Handle(HttpContext http)
    {
        var prefix = AdminEndpointRouteBuilderExtensions.Prefix;
        var path = http.Request.Path.Value?.TrimEnd('/') ?? "";
        var operations = Operations(http.RequestServices.GetRequiredService<EndpointDataSource>());
        var methods = operations.Where(o => Matches(path, o.Pattern)).Select(o => o.Method).Distinct(StringComparer.Ordinal).ToList();
        if (methods.Count > 0)
        {
            http.Response.Headers.Allow = string.Join(", ", methods);
            return AdminResults.Error(StatusCodes.Status405MethodNotAllowed,
                $"{path} takes {string.Join(" or ", methods)}, not {http.Request.Method}", 2);
        }

        var listed = string.Join(", ", operations.Select(o => $"{o.Method} {o.Pattern[prefix.Length..]}"));
        return AdminResults.Error(StatusCodes.Status404NotFound,
            $"no admin operation at {http.Request.Method} {path}; under {prefix} there are: {listed} (described in GET {prefix}/openapi.json)", 2);
    }

    private static List<(string Method, string Pattern)> Operations(EndpointDataSource endpoints)
    {
        var operations = new List<(string Method, string Pattern)>();
        foreach (var endpoint in endpoints.Endpoints)
        {
            if (endpoint is RouteEndpoint route && route.Metadata.GetMetadata<AdminAccess>() is not null
                && route.Metadata.GetMetadata<IHttpMethodMetadata>() is { } httpMethods)
            {
                var pattern = Text(route.RoutePattern);
                operations.AddRange(httpMethods.HttpMethods.Select(m => (m, pattern)));
            }
        }

        return operations;
    }

    private static string Text(RoutePattern pattern) => "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
        _ => "",
    }))));

    /// <summary>A path against an operation's pattern, each <c>{name}</c> standing for one non-empty path segment.</summary>
    private static bool Matches(string path, string pattern)
    {
        var given = path.Split('/');
        var expected = pattern.Split('/');
        if (given.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < given.Length; i++)
        {
            var slot = expected[i].StartsWith('{') && expected[i].EndsWith('}');
            if (slot ? given[i].Length == 0 : !given[i].Equals(expected[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
