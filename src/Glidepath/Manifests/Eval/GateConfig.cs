namespace Glidepath.Manifests;

/// <summary>The gate's rule: the baseline to compare with and how much it may drop.</summary>
public sealed record GateConfig
{
    public string Baseline { get; init; } = "env:production";
    public int MaxCaseRegressions { get; init; }
    public double MaxMeanDrop { get; init; }
    public double Confidence { get; init; } = 0.95;
}
