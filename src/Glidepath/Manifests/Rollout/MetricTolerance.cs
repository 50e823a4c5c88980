namespace Glidepath.Manifests;

/// <summary>How much worse the canary may be on one metric: an absolute increase or drop, or a ratio.</summary>
public sealed record MetricTolerance
{
    public double? MaxIncrease { get; init; }
    public double? MaxDrop { get; init; }
    public double? MaxRatio { get; init; }
}
