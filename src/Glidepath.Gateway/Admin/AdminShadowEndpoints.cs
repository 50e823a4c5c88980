using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Shadow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Admin;

/// <summary>Shadow traffic: the CLI's <c>shadow status</c> (starting and stopping a shadow stay on the store, for now).</summary>
internal static class AdminShadowEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/environments/{env}/shadow", "read shadow status", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var status = await ShadowStatus.ReadAsync(s.Shadows, s.Store.Releases, s.App, spec.Name, http.RequestAborted)
                ?? throw new PolicyException($"environment '{spec.Name}' has had no shadow; start one with: glidepath shadow start REF --env {spec.Name} --rate 0.1");
            return AdminResults.View(status);
        }).WithTags("shadow");
    }
}
