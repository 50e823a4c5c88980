using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>Seeded per-request traffic for judge tests: errors, lognormal latency and cost, online pass.</summary>
internal sealed class SimulatedTraffic(int seed)
{
    private readonly Random random = new(seed);

    public ArmSample Canary { get; private set; }
    public ArmSample Stable { get; private set; }
    public long CanaryRequests => Canary.Requests;

    /// <summary>Adds one request to an arm chosen with probability <paramref name="canaryWeight"/>; true when it went to the canary.</summary>
    public bool Next(double canaryWeight, Arm canary, Arm stable)
    {
        var isCanary = random.NextDouble() < canaryWeight;
        var arm = isCanary ? canary : stable;
        var logLatency = Math.Log(arm.LatencyMs) + (arm.LatencySigma * Normal());
        var cost = arm.Cost * Math.Exp(0.4 * Normal());
        var current = isCanary ? Canary : Stable;
        var passed = random.NextDouble() < arm.PassRate;
        var error = random.NextDouble() < arm.ErrorRate;
        var next = current with
        {
            Requests = current.Requests + 1,
            Errors = current.Errors + (error ? 1 : 0),
            LatencyCount = current.LatencyCount + (error ? 0 : 1),
            LogLatencySum = current.LogLatencySum + (error ? 0 : logLatency),
            LogLatencySquares = current.LogLatencySquares + (error ? 0 : logLatency * logLatency),
            CostSum = current.CostSum + (error ? 0 : cost),
            CostSquares = current.CostSquares + (error ? 0 : cost * cost),
            OnlineScored = current.OnlineScored + 1,
            OnlinePassed = current.OnlinePassed + (passed ? 1 : 0),
            OnlineScoreSum = current.OnlineScoreSum + (passed ? 1 : 0),
            OnlineScoreSquares = current.OnlineScoreSquares + (passed ? 1 : 0),
        };
        if (isCanary)
        {
            Canary = next;
        }
        else
        {
            Stable = next;
        }

        return isCanary;
    }

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    internal sealed record Arm(double ErrorRate = 0.01, double LatencyMs = 800, double LatencySigma = 0.5, double Cost = 0.004, double PassRate = 0.9);
}
