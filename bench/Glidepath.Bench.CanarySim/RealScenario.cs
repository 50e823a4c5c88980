using Glidepath.Rollouts;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// One scenario of traffic the per-request suite does not make: sticky subjects that differ, rare errors, a slower
/// tail. For harmful ones, the per-request variances, effect and tolerance of the changed metric give the look-once n.
/// <see cref="OneArm"/> scenarios have errors a caller can cause on one arm; their "before" row is the judge that did
/// not tell those apart, not the one without subject groups. <c>StableCallerShare</c>: one more caller, sticky to stable,
/// whose every request fails, sending this share of stable's requests (the mirror case, outside trial drift4).
/// With <c>CallerLatencyFactor</c> or <c>CallerCostFactor</c> above 1 that caller's requests are answered instead, that many
/// times slower or dearer than the stable request they ride on. <c>AtTolerance</c>: the canary is exactly at the tolerance, so a rollback is a false harm and is held to α/2.
/// </summary>
internal sealed record RealScenario(
    string Key,
    string Title,
    int Subjects,
    double Weight,
    Traffic Canary,
    bool Harmful,
    int Horizon,
    Traffic? Stable = null,
    double ErrorProneShare = 0.02,
    double VarianceCanary = 0,
    double VarianceStable = 0,
    double Effect = 0,
    double Tolerance = 0,
    double ErrorProneRate = 0.2,
    int HeaviestErrorProne = 0,
    string? OnlyMetric = null,
    bool OneArm = false,
    double StableCallerShare = 0,
    int MinSubjects = 0,
    double SubjectSigma = 0.4,
    bool AtTolerance = false,
    double CallerLatencyFactor = 1,
    double CallerCostFactor = 1)
{
    /// <summary>The judge for this scenario: the plan's, or only <see cref="OnlyMetric"/>'s rule when the scenario is about one metric.</summary>
    public Judge JudgeFor(Judge judge) => OnlyMetric is null ? judge : new Judge(judge.Policy with { Rules = [.. judge.Policy.Rules.Where(r => r.Name == OnlyMetric)], MinSubjects = MinSubjects > 0 ? MinSubjects : judge.Policy.MinSubjects });

    /// <summary>Canary requests a one-look test at the same α needs for 80% power (per-request variance; sticky subjects need more).</summary>
    public double LookOnceN(double alphaPerMetric)
    {
        var z = Gaussian.Quantile(1 - (alphaPerMetric / 2)) + Gaussian.Quantile(0.8);
        var variance = VarianceCanary + (VarianceStable * Weight / (1 - Weight));
        var margin = Math.Abs(Effect - Tolerance);
        return Math.Ceiling(z * z * variance / (margin * margin));
    }
}
