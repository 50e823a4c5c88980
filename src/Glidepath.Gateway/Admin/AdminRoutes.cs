using Glidepath.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Admin;

/// <summary>Declares an admin endpoint with the role it needs: every endpoint of the group goes through here, so none is mapped without an <see cref="AdminAccess"/>.</summary>
internal static class AdminRoutes
{
    public static RouteHandlerBuilder Get(this RouteGroupBuilder group, string pattern, string operation, Role role, Delegate handler) =>
        Declare(group.MapGet(pattern, handler), pattern, operation, role);

    public static RouteHandlerBuilder Post<TBody>(this RouteGroupBuilder group, string pattern, string operation, Role role, Delegate handler)
        where TBody : notnull =>
        Declare(group.MapPost(pattern, handler), pattern, operation, role).Accepts<TBody>("application/json");

    private static RouteHandlerBuilder Declare(RouteHandlerBuilder builder, string pattern, string operation, Role role) => builder
        .WithMetadata(new AdminAccess(operation, role, pattern.Contains("{env}", StringComparison.Ordinal)))
        .WithSummary($"{char.ToUpperInvariant(operation[0])}{operation[1..]} (needs {RoleNames.Name(role)}{(pattern.Contains("{env}", StringComparison.Ordinal) ? " in the environment" : " in any environment")})")
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
        .Produces(StatusCodes.Status401Unauthorized, contentType: "application/json")
        .Produces(StatusCodes.Status403Forbidden, contentType: "application/json");
}
