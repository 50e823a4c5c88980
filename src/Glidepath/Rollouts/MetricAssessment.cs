namespace Glidepath.Rollouts;

/// <summary>
/// One metric's canary − stable interval at one look, on the scale it is computed on (a difference, or
/// the log of a ratio). A value type so the judge can look after every request without allocating.
/// </summary>
public readonly record struct MetricAssessment(
    MetricRule Rule,
    long CanaryN,
    long StableN,
    double Estimate,
    double Lower,
    double Upper,
    MetricVerdict Verdict)
{
    /// <summary>
    /// The estimate the harm side's bound is around when a seat's dominant harmful subject group was left out of it
    /// (Judge.LeaveOneOut.cs), on the computed scale; NaN when none was (then the harm side is around <see cref="Estimate"/>).
    /// </summary>
    public double HarmSideEstimate { get; init; } = double.NaN;

    /// <summary>The share of the canary's (the recent window's) variance held by its group left out of the harm side; 0 when none.</summary>
    public double LeftOutCanaryShare { get; init; }

    /// <summary>The share of stable's (the reference's) variance held by its group left out of the harm side; 0 when none.</summary>
    public double LeftOutStableShare { get; init; }

    /// <summary>The evidence as stored and shown: ratios for latency and cost, differences otherwise.</summary>
    public MetricEvidence ToEvidence(double alpha)
    {
        var ratio = Rule.IsRatio;
        double Show(double x) => ratio ? Math.Exp(x) : x;
        var known = Verdict is not (MetricVerdict.NotEnoughData or MetricVerdict.NoData);
        return new MetricEvidence
        {
            Metric = Rule.Name,
            Scale = ratio ? "ratio" : "difference",
            CanaryN = CanaryN,
            StableN = StableN,
            Estimate = known ? Show(Estimate) : null,
            Lower = known ? Show(Lower) : null,
            Upper = known ? Show(Upper) : null,
            // Shown and stored for people and tools: 12 decimals drop float noise (1 − 0.95 split in four printed as
            // 0.012500000000000011, exp(ln 1.25) as 1.2499999999999998) and change nothing a reader can see.
            Tolerance = Math.Round(Show(Rule.Threshold), 12),
            ToleranceText = Rule.ToleranceText,
            Verdict = Verdict switch
            {
                MetricVerdict.Harm => "harm",
                MetricVerdict.Safe => "safe",
                MetricVerdict.Unclear => "unclear",
                MetricVerdict.NoData => "no_data",
                _ => "not_enough_data",
            },
            Alpha = Math.Round(alpha, 12),
            HarmSideEstimate = known && !double.IsNaN(HarmSideEstimate) ? Show(HarmSideEstimate) : null,
            LeftOutCanaryShare = known && LeftOutCanaryShare > 0 ? Math.Round(LeftOutCanaryShare, 3) : null,
            LeftOutStableShare = known && LeftOutStableShare > 0 ? Math.Round(LeftOutStableShare, 3) : null,
            EstimateBeyondTolerance = Verdict == MetricVerdict.Unclear && (Rule.HarmIsIncrease ? Estimate > Rule.Threshold : Estimate < Rule.Threshold) ? true : null,
        };
    }
}
