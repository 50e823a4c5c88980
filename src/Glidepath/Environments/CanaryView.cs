namespace Glidepath.Environments;

/// <summary>The canary side of an environment in a view.</summary>
public sealed record CanaryView(ReleaseRefView Release, double Weight, string Seed);
