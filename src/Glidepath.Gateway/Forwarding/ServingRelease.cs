using Glidepath.Manifests;
using Glidepath.Routing;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Forwarding;

/// <summary>A release ready to serve in one environment: its model client, declared tools and price, built once per release.</summary>
internal sealed class ServingRelease
{
    public required RoutedRelease Release { get; init; }
    public required IChatClient Client { get; init; }
    public required IReadOnlyList<AITool> Tools { get; init; }
    public ModelPrice? Price { get; init; }

    /// <summary>The header label, e.g. v7+3f9c2a1b.</summary>
    public string Label => Release.Label;

    public ModelSpec Model => Release.Snapshot.Model;
}
