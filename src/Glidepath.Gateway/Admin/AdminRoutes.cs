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
        Declare(group.MapPost(pattern, handler), pattern, operation, role).Accepts<TBody>("application/json", AnyContentType);

    /// <summary>
    /// Routing answers a content type an endpoint does not accept with a bare 415, before the access filter runs: a caller
    /// without a credential would learn nothing useful, and one with a form body no hint. So routing accepts any, and
    /// <see cref="AdminAccessFilter"/> refuses a body that is not JSON after the credential and role (415, in JSON). The
    /// OpenAPI document lists <c>application/json</c> only (AdminServiceCollectionExtensions).
    /// </summary>
    public const string AnyContentType = "*/*";

    private static RouteHandlerBuilder Declare(RouteHandlerBuilder builder, string pattern, string operation, Role role) => builder
        .WithMetadata(new AdminAccess(operation, role, pattern.Contains("{env}", StringComparison.Ordinal)))
        .WithSummary($"{char.ToUpperInvariant(operation[0])}{operation[1..]} (needs {RoleNames.Name(role)}{(pattern.Contains("{env}", StringComparison.Ordinal) ? " in the environment" : " in any environment")})")
        .Produces(StatusCodes.Status200OK, contentType: "application/json")
        .Produces(StatusCodes.Status400BadRequest, contentType: "application/json")
        .Produces(StatusCodes.Status401Unauthorized, contentType: "application/json")
        .Produces(StatusCodes.Status403Forbidden, contentType: "application/json");
}
