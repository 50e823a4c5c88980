using Glidepath.Rollouts;

namespace Glidepath.Bench.DriftSim;

/// <summary>
/// What the traffic does: a daily cycle (latency ×<see cref="LatencyCycle"/> and volume ×<see cref="VolumeCycle"/> from
/// the trough at 02:00 UTC to the peak at 14:00 UTC) and, from <see cref="ChangeMinute"/> on, a step change.
/// </summary>
internal sealed record CycleTraffic
{
    public double RequestsPerMinute { get; init; } = 50;
    public double LatencyCycle { get; init; } = 1.5;
    public double VolumeCycle { get; init; } = 3;
    public double LatencyMedianMs { get; init; } = 800;
    public double LatencySigma { get; init; } = 0.5;
    public double ErrorRate { get; init; } = 0.01;
    public double PassRate { get; init; } = 0.9;
    public double SampleRate { get; init; } = 0.2;
    public int ChangeMinute { get; init; } = int.MaxValue;
    public double LatencyFactor { get; init; } = 1;
    public double ErrorIncrease { get; init; }
    public double PassDrop { get; init; }

    /// <summary>Cumulative sums per minute from midnight of day 0: the window [a, b) is cumulative[b] − cumulative[a].</summary>
    public ArmSample[] Simulate(Rng rng, int days)
    {
        var minutes = days * 24 * 60;
        var cumulative = new ArmSample[minutes + 1];
        var volumeMean = MeanOfCycle(VolumeCycle);
        for (var m = 0; m < minutes; m++)
        {
            var phase = Math.Cos(2 * Math.PI * ((m % 1440 / 60.0) - 14) / 24);
            var changed = m >= ChangeMinute;
            var logMedian = Math.Log(LatencyMedianMs) + (Math.Log(LatencyCycle) / 2 * phase) + (changed ? Math.Log(LatencyFactor) : 0);
            var errorRate = ErrorRate + (changed ? ErrorIncrease : 0);
            var passRate = PassRate - (changed ? PassDrop : 0);
            var count = Poisson(rng, RequestsPerMinute * Math.Pow(VolumeCycle, phase / 2) / volumeMean);
            long errors = 0, scored = 0, passed = 0;
            double logSum = 0, logSquares = 0, costSum = 0, costSquares = 0;
            for (var i = 0; i < count; i++)
            {
                var logLatency = logMedian + (LatencySigma * rng.Normal());
                var cost = 0.004 * Math.Exp(0.4 * rng.Normal());
                logSum += logLatency;
                logSquares += logLatency * logLatency;
                costSum += cost;
                costSquares += cost * cost;
                errors += rng.Bernoulli(errorRate) ? 1 : 0;
                if (rng.Bernoulli(SampleRate))
                {
                    scored++;
                    passed += rng.Bernoulli(passRate) ? 1 : 0;
                }
            }

            var c = cumulative[m];
            cumulative[m + 1] = new ArmSample
            {
                Requests = c.Requests + count,
                Errors = c.Errors + errors,
                LatencyCount = c.LatencyCount + count,
                LogLatencySum = c.LogLatencySum + logSum,
                LogLatencySquares = c.LogLatencySquares + logSquares,
                CostSum = c.CostSum + costSum,
                CostSquares = c.CostSquares + costSquares,
                OnlineScored = c.OnlineScored + scored,
                OnlinePassed = c.OnlinePassed + passed,
                OnlineScoreSum = c.OnlineScoreSum + passed,
                OnlineScoreSquares = c.OnlineScoreSquares + passed,
            };
        }

        return cumulative;
    }

    /// <summary>Mean of f^(cos θ / 2) over a day, so that the volume cycle keeps the daily mean at the given rate.</summary>
    private static double MeanOfCycle(double factor)
    {
        var sum = 0.0;
        for (var m = 0; m < 1440; m++)
        {
            sum += Math.Pow(factor, Math.Cos(2 * Math.PI * m / 1440) / 2);
        }

        return sum / 1440;
    }

    private static int Poisson(Rng rng, double mean)
    {
        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + (Math.Sqrt(mean) * rng.Normal())));
        }

        var limit = Math.Exp(-mean);
        var k = 0;
        for (var p = rng.NextDouble(); p > limit; p *= rng.NextDouble())
        {
            k++;
        }

        return k;
    }
}
