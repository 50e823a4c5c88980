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
}
