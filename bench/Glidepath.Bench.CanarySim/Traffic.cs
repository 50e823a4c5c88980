namespace Glidepath.Bench.CanarySim;

/// <summary>One arm's per-request distributions: errors, latency (lognormal), cost (lognormal), online pass.</summary>
internal sealed record Traffic
{
    public double ErrorRate { get; init; } = 0.01;
    public double LatencyMedianMs { get; init; } = 800;
    public double LatencySigma { get; init; } = 0.5;
    public double LatencyFactor { get; init; } = 1;

    /// <summary>Share of requests that become <see cref="SlowFactor"/> times slower (the bimodal change).</summary>
    public double SlowShare { get; init; }
    public double SlowFactor { get; init; } = 1;
    public double CostMedian { get; init; } = 0.004;
    public double CostSigma { get; init; } = 0.4;
    public double CostFactor { get; init; } = 1;
    public double PassRate { get; init; } = 0.90;

    public Request Draw(Rng rng)
    {
        var latency = LatencyMedianMs * LatencyFactor * Math.Exp(LatencySigma * rng.Normal());
        if (SlowShare > 0 && rng.Bernoulli(SlowShare))
        {
            latency *= SlowFactor;
        }

        var cost = CostMedian * CostFactor * Math.Exp(CostSigma * rng.Normal());
        return new Request(rng.Bernoulli(ErrorRate), latency, cost, rng.Bernoulli(PassRate));
    }
}

internal readonly record struct Request(bool Error, double LatencyMs, double Cost, bool Passed);
