using Glidepath.Releases;

namespace Glidepath.Routing;

/// <summary>A release ready to serve: its identity and its parsed content.</summary>
public sealed record RoutedRelease(string Id, int Version, ReleaseSnapshot Snapshot)
{
    // Read-only, so a `with` cannot change them under the names made from them below.
    public string Id { get; } = Id;

    public int Version { get; } = Version;

    /// <summary>The release's name, e.g. <c>v7</c> (made once: it is read on every request).</summary>
    public string Name { get; } = $"v{Version}";

    /// <summary>The header label, e.g. <c>v7+3f9c2a1b</c> (made once: the request log and the metrics read it on every request).</summary>
    public string Label { get; } = $"v{Version}+{Id[..8]}";

    public static RoutedRelease From(Release release) => new(release.Id, release.Version, release.Snapshot());
}
