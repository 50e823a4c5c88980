namespace Glidepath.Bench.CanarySim;

/// <summary>
/// One simulated change: the canary's traffic, and for the fixed-horizon comparison the per-request variance of
/// the changed metric on each arm, the true canary − stable effect and the tolerance (on the judge's scale).
/// </summary>
internal sealed record Scenario(
    string Key,
    string Title,
    Traffic Canary,
    bool Harmful,
    double VarianceCanary = 0,
    double VarianceStable = 0,
    double Effect = 0,
    double Tolerance = 0)
{
    /// <summary>
    /// Canary requests a one-look test needs for 80% power to show the effect lies beyond the tolerance, at the
    /// same α per metric (two-sided, like the judge's interval), with the stable arm (1 − w)/w times larger.
    /// </summary>
    public double FixedHorizonN(double alphaPerMetric, double weight)
    {
        var z = Gaussian.Quantile(1 - (alphaPerMetric / 2)) + Gaussian.Quantile(0.8);
        var variance = VarianceCanary + (VarianceStable * weight / (1 - weight));
        var margin = Math.Abs(Effect - Tolerance);
        return Math.Ceiling(z * z * variance / (margin * margin));
    }
}
