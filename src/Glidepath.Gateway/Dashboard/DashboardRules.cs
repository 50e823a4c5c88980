using Glidepath.Access;
using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The role a dashboard page or action needs is the role of the admin-API operation it stands for, read from that
/// endpoint's <see cref="AdminAccess"/> metadata: the rule is written once, in the API, and cannot drift. A page or
/// action whose API operation is not mapped is refused (fail closed).
/// </summary>
internal sealed class DashboardRules(EndpointDataSource endpoints)
{
    private Dictionary<string, AdminAccess>? _byPattern;

    /// <summary>The admin operation at <paramref name="adminPattern"/> (e.g. <c>/admin/v1/environments/{env}/rollback</c>), or null.</summary>
    public AdminAccess? Of(string adminPattern)
    {
        _byPattern ??= Read();
        return _byPattern.GetValueOrDefault(adminPattern);
    }

    /// <summary>Whether <paramref name="principal"/> may do the operation at <paramref name="adminPattern"/> in <paramref name="environment"/>.</summary>
    public bool Allows(Principal principal, string adminPattern, string? environment) =>
        Of(adminPattern) is { } access && principal.Allows(access.EnvironmentScoped ? environment : null, access.Role);

    private Dictionary<string, AdminAccess> Read()
    {
        var map = new Dictionary<string, AdminAccess>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.RoutePattern.RawText is { } raw && endpoint.Metadata.GetMetadata<AdminAccess>() is { } access)
            {
                map.TryAdd("/" + raw.TrimStart('/'), access);
            }
        }

        return map;
    }
}
