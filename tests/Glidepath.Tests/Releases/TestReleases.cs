using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

/// <summary>Releases of the sample app (tools lookup_order, issue_refund, escalate; prompt variable customer_tier), optionally edited first.</summary>
internal static class TestReleases
{
    public static Release Sample(Action<TempDir>? edit = null)
    {
        using var dir = TempDir.WithSample();
        edit?.Invoke(dir);
        var (id, json) = ReleaseBuilder.Build(ManifestParser.Load(dir.File("glidepath.yaml")).Release, new WorkingTreeFileSource(dir.Path));
        return new Release { Id = id, App = "support-agent", Version = 1, CanonicalJson = json, Author = "test", CreatedAt = DateTimeOffset.UnixEpoch };
    }

    /// <summary>The sample with its lookup_order tool renamed to <paramref name="name"/>.</summary>
    public static Release WithLookupNamed(string name) => Sample(dir =>
        dir.Write("tools/lookup_order.json", dir.Read("tools/lookup_order.json").Replace("\"lookup_order\"", $"\"{name}\"", StringComparison.Ordinal)));
}
