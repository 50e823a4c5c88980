namespace Glidepath.Environments;

/// <summary>The canary release, its traffic weight in percent [0, 100] and the seed of the sticky split.</summary>
public sealed record CanaryState(string ReleaseId, double Weight, string Seed);
