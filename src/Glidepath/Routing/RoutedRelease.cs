using Glidepath.Releases;

namespace Glidepath.Routing;

/// <summary>A release ready to serve: its identity and its parsed content.</summary>
public sealed record RoutedRelease(string Id, int Version, ReleaseSnapshot Snapshot)
{
    public string Name => $"v{Version}";

    /// <summary>The header label, e.g. <c>v7+3f9c2a1b</c>.</summary>
    public string Label => $"v{Version}+{Id[..8]}";

    public static RoutedRelease From(Release release) => new(release.Id, release.Version, release.Snapshot());
}
