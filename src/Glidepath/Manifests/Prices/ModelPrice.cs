namespace Glidepath.Manifests;

/// <summary>USD per million tokens.</summary>
public sealed record ModelPrice(double Input, double Output);
