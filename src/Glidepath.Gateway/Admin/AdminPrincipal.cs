using Glidepath.Access;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Admin;

/// <summary>The authenticated principal of an admin request, set by <see cref="AdminAccessFilter"/> and read by the endpoints for the actor.</summary>
internal static class AdminPrincipal
{
    private static readonly object Key = new();

    public static void Set(HttpContext http, Principal principal) => http.Items[Key] = principal;

    /// <summary>The principal; an endpoint reached without the filter is a bug, and is refused rather than run as nobody.</summary>
    public static Principal Of(HttpContext http) =>
        http.Items.TryGetValue(Key, out var p) && p is Principal principal
            ? principal
            : throw new InvalidOperationException("admin endpoint reached without an authenticated principal");

    /// <summary>
    /// An override of the promotion policy (<c>force</c>: past a blocked or missing gate verdict, unmet <c>requires</c>) is
    /// the environment owner's decision, like a rollback: a 403 for a deployer (typically a CI token), whose promote and
    /// rollout start may only ship what the policy allows. Null when allowed.
    /// </summary>
    public static IResult? RefuseOverride(HttpContext http, string environment, bool force)
    {
        var principal = Of(http);
        return !force || principal.Allows(environment, Role.Owner)
            ? null
            : AdminResults.Forbidden($"{principal.Actor} may not override the promotion policy (\"force\": true) in '{environment}': it needs the {RoleNames.Name(Role.Owner)} role there; " +
                "without \"force\" a deployer ships only what the policy allows");
    }
}
