namespace Glidepath.Routing;

/// <summary>The active shadow of a routing table: the candidate mirrored in the background, at what share, within which caps.</summary>
public sealed record ShadowRoute(string ShadowId, RoutedRelease Release, double Rate, double? MaxCostUsd, long? MaxRequests);
