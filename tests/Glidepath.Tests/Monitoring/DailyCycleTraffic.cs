using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// Seeded traffic of one release over whole days, summed per minute, with a daily cycle: latency ×1.5 from trough
/// (02:00 UTC) to peak (14:00 UTC) and volume ×3 likewise (the mean over a day is the given rate per minute). Optionally a step change from a given time. Windows are
/// read as the trace store reads them: whole minutes, half-open.
/// </summary>
internal sealed class DailyCycleTraffic
{
    public static readonly DateTimeOffset Start = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);

    private readonly ArmSample[] cumulative;

    public DailyCycleTraffic(int seed, int days, double requestsPerMinute, DateTimeOffset? changeAt = null, double latencyFactor = 1, double errorIncrease = 0)
    {
        var random = new Random(seed);
        var minutes = days * 24 * 60;
        cumulative = new ArmSample[minutes + 1];
        var change = changeAt is { } c ? (int)(c - Start).TotalMinutes : int.MaxValue;
        for (var m = 0; m < minutes; m++)
        {
            // 1 at 14:00, −1 at 02:00: a cosine over the day.
            var phase = Math.Cos(2 * Math.PI * ((m / 60.0) - 14) / 24);
            var logMedian = Math.Log(800) + (Math.Log(1.5) / 2 * phase) + (m >= change ? Math.Log(latencyFactor) : 0);
            var errorRate = 0.01 + (m >= change ? errorIncrease : 0);
            var count = (int)Math.Round(requestsPerMinute * Math.Pow(3, phase / 2) / 1.077);
            var sample = cumulative[m];
            for (var i = 0; i < count; i++)
            {
                var logLatency = logMedian + (0.5 * Normal(random));
                var cost = 0.004 * Math.Exp(0.4 * Normal(random));
                var scored = random.NextDouble() < 0.2;
                var passed = scored && random.NextDouble() < 0.9;
                sample = sample with
                {
                    Requests = sample.Requests + 1,
                    Errors = sample.Errors + (random.NextDouble() < errorRate ? 1 : 0),
                    LatencyCount = sample.LatencyCount + 1,
                    LogLatencySum = sample.LogLatencySum + logLatency,
                    LogLatencySquares = sample.LogLatencySquares + (logLatency * logLatency),
                    CostSum = sample.CostSum + cost,
                    CostSquares = sample.CostSquares + (cost * cost),
                    OnlineScored = sample.OnlineScored + (scored ? 1 : 0),
                    OnlinePassed = sample.OnlinePassed + (passed ? 1 : 0),
                    OnlineScoreSum = sample.OnlineScoreSum + (passed ? 1 : 0),
                    OnlineScoreSquares = sample.OnlineScoreSquares + (passed ? 1 : 0),
                };
            }

            cumulative[m + 1] = sample;
        }
    }

    /// <summary>The traffic of [<paramref name="from"/>, <paramref name="to"/>), both floored to the minute.</summary>
    public ArmSample Window(DateTimeOffset from, DateTimeOffset to) => cumulative[Minute(to)].Minus(cumulative[Minute(from)]);

    /// <summary>The check at <paramref name="now"/> as MonitorService runs it: the product's windows, the matched windows pooled.</summary>
    public bool Alerts(DriftMonitor monitor, DateTimeOffset stableSince, DateTimeOffset now)
    {
        if (DriftWindows.For(stableSince, now, monitor.Policy) is not { } windows)
        {
            return false;
        }

        var reference = default(ArmSample);
        foreach (var (from, to) in windows.ReferenceWindows)
        {
            reference = ArmSamples.Add(reference, Window(from, to));
        }

        return monitor.HasDrifted(Window(windows.RecentFrom, windows.RecentTo), reference);
    }

    private static int Minute(DateTimeOffset t) => (int)((t - Start).Ticks / TimeSpan.TicksPerMinute);

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
