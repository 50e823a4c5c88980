using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>The gate's thresholds (from the manifest's <c>eval.gate</c>) and the seed of the mean rule's random sign flips.</summary>
public sealed record GateRule
{
    public int MaxCaseRegressions { get; init; }
    public double MaxMeanDrop { get; init; }
    public double Confidence { get; init; } = 0.95;
    public int Seed { get; init; } = 20240611;
    public int Resamples { get; init; } = 2000;

    public static GateRule From(GateConfig config) => new()
    {
        MaxCaseRegressions = config.MaxCaseRegressions,
        MaxMeanDrop = config.MaxMeanDrop,
        Confidence = config.Confidence,
    };
}
