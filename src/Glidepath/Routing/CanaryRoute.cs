namespace Glidepath.Routing;

/// <summary>The canary side of a split: release, weight in percent [0, 100] and the seed of the sticky hash.</summary>
public sealed record CanaryRoute(RoutedRelease Release, double Weight, string Seed);
