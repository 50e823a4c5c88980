using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway;

/// <summary>Maps the admin API into a host's routing.</summary>
public static class AdminEndpointRouteBuilderExtensions
{
    /// <summary>Where the admin API lives.</summary>
    public const string Prefix = "/admin/v1";

    /// <summary>
    /// Sent by the CLI as a client (<c>--server</c>) with the value <see cref="CliClient"/>: its user typed flags, so
    /// errors keep the CLI's words (<c>--rpm</c>) instead of the body's fields (<c>'rpm'</c>).
    /// </summary>
    public const string ClientHeader = "Glidepath-Client";

    /// <summary>The value of <see cref="ClientHeader"/> the CLI sends.</summary>
    public const string CliClient = "cli";

    /// <summary>The OpenAPI document's name: it is served at <c>/admin/v1/{name}.json</c>, so at <c>/admin/v1/openapi.json</c>.</summary>
    public const string DocumentName = "openapi";

    /// <summary>
    /// Maps <c>/admin/v1</c>: every operation behind <see cref="AdminAccessFilter"/> (401 without a valid credential, 403
    /// without the role the operation needs in its environment), and the OpenAPI document at
    /// <c>/admin/v1/openapi.json</c>, which is public. Returns the group so a host can add its own conventions.
    /// </summary>
    public static RouteGroupBuilder MapGlidepathAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _ = endpoints.ServiceProvider.GetService<AdminServices>()
            ?? throw new InvalidOperationException("MapGlidepathAdmin needs services.AddGlidepathAdmin(options) in the host's services");
        var group = endpoints.MapGroup(Prefix);
        group.AddEndpointFilter<AdminAccessFilter>();
        AdminEnvironmentEndpoints.Map(group);
        AdminRolloutEndpoints.Map(group);
        AdminShadowEndpoints.Map(group);
        AdminReadEndpoints.Map(group);
        AdminAlertEndpoints.Map(group);
        AdminCredentialEndpoints.Map(group);

        // After the group's endpoints, outside the filter: the description of the API is not a secret.
        endpoints.MapOpenApi(Prefix + "/{documentName}.json");

        // Last, outside the filter: an unknown path or a wrong method, answered in the admin error shape.
        endpoints.Map(Prefix + AdminUnmatchedEndpoint.Pattern, AdminUnmatchedEndpoint.Handle)
            .WithOrder(AdminUnmatchedEndpoint.Order)
            .ExcludeFromDescription();
        return group;
    }
}
