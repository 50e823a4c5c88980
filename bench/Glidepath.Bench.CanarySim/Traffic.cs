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

    /// <summary>The slowest share of requests (above the arm's own 1 − share quantile) that become <see cref="TailFactor"/> times slower.</summary>
    public double TailShare
    {
        get => tailShare;
        init
        {
            tailShare = value;
            tailZ = value > 0 ? Gaussian.Quantile(1 - value) : double.PositiveInfinity;
        }
    }

    private readonly double tailShare;
    private readonly double tailZ = double.PositiveInfinity;

    public double TailFactor { get; init; } = 1;
    public double CostMedian { get; init; } = 0.004;
    public double CostSigma { get; init; } = 0.4;
    public double CostFactor { get; init; } = 1;
    public double PassRate { get; init; } = 0.90;

    /// <summary>Cost scaled by the subject's own factor (its latency factor): subjects whose calls cost differently.</summary>
    public bool SubjectCost { get; init; }

    /// <summary>
    /// Share of requests failing with an error a caller's request alone can cause on this arm (a refusal of the request, a
    /// timeout: <c>TraceRecord.OneArmErrors</c>), besides <see cref="ErrorRate"/>'s other errors.
    /// </summary>
    public double OneArmRate { get; init; }

    /// <summary>Whether an error-prone subject's errors are one-arm ones (content every model refuses, on either arm).</summary>
    public bool ErrorProneOneArm { get; init; }

    public Request Draw(Rng rng) => Draw(rng, default);

    /// <summary>A request of <paramref name="subject"/>: its own latency factor; an error-prone subject fails at the population's rate.</summary>
    public Request Draw(Rng rng, in Subject subject, double errorProneRate = 0)
    {
        var z = rng.Normal();
        var latency = LatencyMedianMs * LatencyFactor * Math.Exp(LatencySigma * z) * (subject.LatencyFactor > 0 ? subject.LatencyFactor : 1);
        if (SlowShare > 0 && rng.Bernoulli(SlowShare))
        {
            latency *= SlowFactor;
        }

        if (z > tailZ)
        {
            latency *= TailFactor;
        }

        var cost = CostMedian * CostFactor * Math.Exp(CostSigma * rng.Normal()) * (SubjectCost && subject.LatencyFactor > 0 ? subject.LatencyFactor : 1);
        var errorRate = subject.ErrorProne ? Math.Max(ErrorRate, errorProneRate) : ErrorRate;
        var error = rng.Bernoulli(errorRate);
        var passed = rng.Bernoulli(PassRate);
        // Drawn only when set, so the scenarios without one-arm errors keep their random sequences.
        var oneArm = (error && subject.ErrorProne && ErrorProneOneArm) || (!error && OneArmRate > 0 && rng.Bernoulli(OneArmRate));
        return new Request(error || oneArm, latency, cost, passed, oneArm);
    }
}

/// <param name="OneArm">An error of a class a caller's request alone can cause on one arm (then <paramref name="Error"/> too).</param>
internal readonly record struct Request(bool Error, double LatencyMs, double Cost, bool Passed, bool OneArm = false);
