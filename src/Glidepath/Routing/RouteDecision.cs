namespace Glidepath.Routing;

/// <summary>The outcome of routing one request: which release serves it, on which arm, and why.</summary>
/// <param name="Bucket">The subject's bucket in [0, 100), or null when there was no canary to split against.</param>
public readonly record struct RouteDecision(RoutedRelease Release, string Arm, double? Bucket, double CanaryWeight);
