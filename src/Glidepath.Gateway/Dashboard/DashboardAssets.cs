using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The dashboard's stylesheet and script, embedded in the assembly (no files on disk, nothing from another origin).
/// Their URLs carry no version, so a browser may keep them but must ask again each time (<c>no-cache</c>); the ETag
/// (a hash of the content) makes that a 304 while unchanged, and a changed file after an upgrade is never used stale.
/// Unlike the pages, they hold nothing private, so <c>no-store</c> would only cost a download per page.
/// </summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type, EntityTagHeaderValue ETag)> Files = Load();

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file))
            {
                return Results.NotFound();
            }

            // Replaces the pages' "no-cache, no-store" (DashboardSecurity): revalidate, a 304 when the ETag still matches.
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Bytes(file.Bytes, file.Type, entityTag: file.ETag);
        });

    private static FrozenDictionary<string, (byte[], string, EntityTagHeaderValue)> Load()
    {
        const string prefix = "Glidepath.Dashboard.";
        var assembly = Assembly.GetExecutingAssembly();
        var files = new Dictionary<string, (byte[], string, EntityTagHeaderValue)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var name = resource[prefix.Length..];
            var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : "application/octet-stream";
            var bytes = copy.ToArray();
            files[name] = (bytes, type, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 16)}\""));
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
