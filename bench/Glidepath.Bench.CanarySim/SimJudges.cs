using Glidepath.Rollouts;

namespace Glidepath.Bench.CanarySim;

internal enum SimVerdict { None, RolledBack, Advanced }

/// <summary>A judge fed one request at a time; it says when it would roll back (or advance).</summary>
internal interface ISimJudge
{
    SimVerdict Observe(bool canary, in Request request);
}

/// <summary>Glidepath's judge, looking after every request (canary or stable).</summary>
internal sealed class SequentialSimJudge(Judge judge, bool trackCoverage = false) : ISimJudge
{
    private ArmSample canary;
    private ArmSample stable;

    /// <summary>With trackCoverage (A/A runs): some metric's interval excluded the true difference 0 at some look.</summary>
    public bool MissedTruth { get; private set; }

    /// <summary>Per metric (in the policy's order): its interval excluded 0 at some look.</summary>
    public bool[] MissedByMetric { get; } = new bool[judge.Policy.Rules.Count];

    public SimVerdict Observe(bool isCanary, in Request r)
    {
        ref var arm = ref isCanary ? ref canary : ref stable;
        arm = ArmAccumulator.Step(arm, r);
        if (trackCoverage)
        {
            var rules = judge.Policy.Rules;
            for (var i = 0; i < rules.Count; i++)
            {
                var a = judge.Assess(rules[i], canary, stable);
                var missed = a.Verdict is not (MetricVerdict.NotEnoughData or MetricVerdict.NoData) && (a.Lower > 0 || a.Upper < 0);
                MissedByMetric[i] |= missed;
                MissedTruth |= missed;
            }
        }

        return judge.Classify(canary, stable, TimeSpan.Zero) switch
        {
            JudgeOutcome.RollBack => SimVerdict.RolledBack,
            JudgeOutcome.Advance => SimVerdict.Advanced,
            _ => SimVerdict.None,
        };
    }
}

/// <summary>
/// Flagger-style: every <see cref="Interval"/> canary requests, the canary's own window is compared with fixed
/// thresholds (the known baseline plus the same tolerance); after <see cref="Threshold"/> failed checks, roll back.
/// No baseline arm, no statistics.
/// </summary>
internal sealed class FlaggerSimJudge(Thresholds limits) : ISimJudge
{
    public const int Interval = 100;
    public const int Threshold = 5;
    private readonly List<double> latencies = new(Interval);
    private int n, errors, passed, failedChecks;
    private double cost;

    public SimVerdict Observe(bool isCanary, in Request r)
    {
        if (!isCanary)
        {
            return SimVerdict.None;
        }

        n++;
        errors += r.Error ? 1 : 0;
        passed += r.Passed ? 1 : 0;
        cost += r.Cost;
        latencies.Add(r.LatencyMs);
        if (n < Interval)
        {
            return SimVerdict.None;
        }

        latencies.Sort();
        var p99 = latencies[(int)Math.Ceiling(0.99 * n) - 1];
        var failed = (double)errors / n > limits.MaxErrorRate || p99 > limits.MaxP99LatencyMs
            || cost / n > limits.MaxMeanCost || (double)passed / n < limits.MinPassRate;
        failedChecks += failed ? 1 : 0;
        n = errors = passed = 0;
        cost = 0;
        latencies.Clear();
        return failedChecks >= Threshold ? SimVerdict.RolledBack : SimVerdict.None;
    }
}

internal sealed record Thresholds(double MaxErrorRate, double MaxP99LatencyMs, double MaxMeanCost, double MinPassRate);

/// <summary>
/// Kayenta-style: a baseline cluster the size of the canary; every <see cref="Interval"/> canary requests a
/// Mann-Whitney test per metric over everything since the start (growing lookback) at confidence 0.98; a metric
/// fails when the Hodges-Lehmann shift's interval lies wholly beyond the same tolerance. Latency and cost are
/// compared per request on the log scale (so the tolerance is a ratio); error and pass rates as per-bucket rates
/// of <see cref="Bucket"/> requests, the way a metrics backend reports them.
/// </summary>
internal sealed class KayentaSimJudge(Rng rng, double baselineShare, double errorTolerance, double logLatencyTolerance, double logCostTolerance, double passDropTolerance) : ISimJudge
{
    public const int Interval = 250;
    public const int Bucket = 20;
    private const double Z = 2.3263478740408408; // one-sided 0.99 of a two-sided 0.98 interval

    private readonly GrowingSample canaryLatency = new(), baselineLatency = new(), canaryCost = new(), baselineCost = new();
    private readonly GrowingSample canaryErrors = new(), baselineErrors = new(), canaryPass = new(), baselinePass = new();
    private int canaryN, canaryBucketN, canaryBucketErrors, canaryBucketPassed;
    private int baselineBucketN, baselineBucketErrors, baselineBucketPassed;

    public SimVerdict Observe(bool isCanary, in Request r)
    {
        if (!isCanary)
        {
            if (rng.Bernoulli(baselineShare))
            {
                baselineLatency.Add(Math.Log(r.LatencyMs));
                baselineCost.Add(Math.Log(r.Cost));
                baselineBucketN++;
                baselineBucketErrors += r.Error ? 1 : 0;
                baselineBucketPassed += r.Passed ? 1 : 0;
                if (baselineBucketN == Bucket)
                {
                    baselineErrors.Add((double)baselineBucketErrors / Bucket);
                    baselinePass.Add((double)baselineBucketPassed / Bucket);
                    baselineBucketN = baselineBucketErrors = baselineBucketPassed = 0;
                }
            }

            return SimVerdict.None;
        }

        canaryN++;
        canaryLatency.Add(Math.Log(r.LatencyMs));
        canaryCost.Add(Math.Log(r.Cost));
        canaryBucketN++;
        canaryBucketErrors += r.Error ? 1 : 0;
        canaryBucketPassed += r.Passed ? 1 : 0;
        if (canaryBucketN == Bucket)
        {
            canaryErrors.Add((double)canaryBucketErrors / Bucket);
            canaryPass.Add((double)canaryBucketPassed / Bucket);
            canaryBucketN = canaryBucketErrors = canaryBucketPassed = 0;
        }

        if (canaryN % Interval != 0)
        {
            return SimVerdict.None;
        }

        var harm = ShiftBeyond(canaryErrors, baselineErrors, errorTolerance)
            || ShiftBeyond(canaryLatency, baselineLatency, logLatencyTolerance)
            || ShiftBeyond(canaryCost, baselineCost, logCostTolerance)
            || ShiftBeyond(baselinePass, canaryPass, passDropTolerance); // a drop: baseline − canary beyond the tolerance
        return harm ? SimVerdict.RolledBack : SimVerdict.None;
    }

    /// <summary>True when the Mann-Whitney test says x − tolerance is stochastically above y, i.e. the
    /// Hodges-Lehmann shift's lower confidence bound lies above the tolerance.</summary>
    private static bool ShiftBeyond(GrowingSample x, GrowingSample y, double tolerance)
    {
        var xs = x.Sorted();
        var ys = y.Sorted();
        double m = xs.Count, n = ys.Count;
        if (m < 10 || n < 10)
        {
            return false;
        }

        // U = #(x − t > y) + ½ #(x − t = y), by two pointers over the sorted samples.
        double u = 0;
        int below = 0, equalEnd = 0;
        foreach (var xv in xs)
        {
            var shifted = xv - tolerance;
            while (below < ys.Count && ys[below] < shifted)
            {
                below++;
            }

            equalEnd = Math.Max(equalEnd, below);
            while (equalEnd < ys.Count && ys[equalEnd] == shifted)
            {
                equalEnd++;
            }

            u += below + (0.5 * (equalEnd - below));
        }

        var z = (u - (m * n / 2)) / Math.Sqrt(m * n * (m + n + 1) / 12);
        return z > Z;
    }
}

/// <summary>Values kept sorted by merging each new batch in when asked (growing lookback without re-sorting).</summary>
internal sealed class GrowingSample
{
    private List<double> sorted = [];
    private readonly List<double> pending = [];

    public void Add(double value) => pending.Add(value);

    public List<double> Sorted()
    {
        if (pending.Count == 0)
        {
            return sorted;
        }

        pending.Sort();
        var merged = new List<double>(sorted.Count + pending.Count);
        int i = 0, j = 0;
        while (i < sorted.Count || j < pending.Count)
        {
            merged.Add(j >= pending.Count || (i < sorted.Count && sorted[i] <= pending[j]) ? sorted[i++] : pending[j++]);
        }

        pending.Clear();
        sorted = merged;
        return sorted;
    }
}
