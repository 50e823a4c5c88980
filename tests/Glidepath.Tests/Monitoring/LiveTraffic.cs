using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

/// <summary>Seeded live traffic of one release: errors, lognormal latency and cost, and an online pass sampled at a rate.</summary>
internal sealed class LiveTraffic(int seed, double sampleRate)
{
    private readonly Random random = new(seed);

    public ArmSample Next(ArmSample current, double passRate = 0.9, double errorRate = 0.01, double latencyMs = 800)
    {
        var logLatency = Math.Log(latencyMs) + (0.5 * Normal());
        var cost = 0.004 * Math.Exp(0.4 * Normal());
        var scored = random.NextDouble() < sampleRate;
        var passed = scored && random.NextDouble() < passRate;
        return current with
        {
            Requests = current.Requests + 1,
            Errors = current.Errors + (random.NextDouble() < errorRate ? 1 : 0),
            LatencyCount = current.LatencyCount + 1,
            LogLatencySum = current.LogLatencySum + logLatency,
            LogLatencySquares = current.LogLatencySquares + (logLatency * logLatency),
            CostSum = current.CostSum + cost,
            CostSquares = current.CostSquares + (cost * cost),
            OnlineScored = current.OnlineScored + (scored ? 1 : 0),
            OnlinePassed = current.OnlinePassed + (passed ? 1 : 0),
            OnlineScoreSum = current.OnlineScoreSum + (passed ? 1 : 0),
            OnlineScoreSquares = current.OnlineScoreSquares + (passed ? 1 : 0),
        };
    }

    public ArmSample Run(int requests, double passRate = 0.9, double errorRate = 0.01)
    {
        var sample = default(ArmSample);
        for (var i = 0; i < requests; i++)
        {
            sample = Next(sample, passRate, errorRate);
        }

        return sample;
    }

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
