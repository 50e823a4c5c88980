using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// cancel_rate in the default plan (outside trial sdkapp2): how its tolerance was chosen. Sticky subjects whose own
/// habit of giving up differs (logit-normal around the arm's rate, σ 1 by default), heavy-tailed activity, 1% errors and retries on
/// both arms. A/A at realistic cancel rates (the false rollbacks must stay within the judge's α per metric), the trial's
/// case (every canary answer abandoned against about half of stable's), a canary whose callers give up 10 points more
/// often, and what the fourth metric costs: canary requests to advance an A/A step with and without it.
/// </summary>
internal static class CancelSuite
{
    private const int Subjects = 2000;

    public static int Report(int runs, ulong seed, int horizon, double habitSigma, string tolerances)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"cancel-sim: {runs} seeded steps per row, sticky subjects ({Subjects}, Pareto 1.2 activity, per-subject cancel habit logit-normal σ {habitSigma}), canary weight 50%, look every 10 requests, horizon {horizon} canary requests, seed {seed}");
        Console.WriteLine("plan: the default (error_rate 0.01, retry_rate 0.01, latency ×1.25) plus cancel_rate max_increase as shown; confidence 0.95, min_requests 200, min_subjects 20");
        Console.WriteLine();
        Console.WriteLine("| cancel_rate tolerance | scenario | rolled back | rolled back on cancel_rate | advanced | median canary requests to the decision |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var tolerance in tolerances.Split(',').Select(t => t == "none" ? (double?)null : double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)))
        {
            var judge = new Judge(JudgePolicy.From(Plan(tolerance)));
            foreach (var (name, stable, canary) in Scenarios(tolerance))
            {
                var results = new (JudgeOutcome Outcome, bool OnCancel, long Canary)[runs];
                SeededRuns.Each(runs, parallel: true, run => results[run] = Step(judge, seed + (ulong)(run * 7919), stable, canary, horizon, habitSigma));
                var rolled = results.Count(r => r.Outcome == JudgeOutcome.RollBack);
                var onCancel = results.Count(r => r.OnCancel);
                var advanced = results.Count(r => r.Outcome == JudgeOutcome.Advance);
                var decided = results.Where(r => r.Outcome is JudgeOutcome.RollBack or JudgeOutcome.Advance).Select(r => r.Canary).Order().ToArray();
                var median = decided.Length == 0 ? "–" : decided[decided.Length / 2].ToString();
                Console.WriteLine($"| {(tolerance is { } t ? t.ToString("0.00") : "not judged")} | {name} | {rolled}/{runs} ({(double)rolled / runs:0.0%}) | {onCancel}/{runs} | {advanced}/{runs} | {median} |");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"α per metric: 0.05/3 = {0.05 / 3:0.####} without cancel_rate, 0.05/4 = {0.05 / 4:0.####} with it; {clock.Elapsed.TotalSeconds:0}s");
        return 0;
    }

    private static RolloutPlan Plan(double? cancelTolerance)
    {
        var metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.01 },
            ["retry_rate"] = new() { MaxIncrease = 0.01 },
            ["latency"] = new() { MaxRatio = 1.25 },
        };
        if (cancelTolerance is { } t)
        {
            metrics["cancel_rate"] = new() { MaxIncrease = t };
        }

        return new RolloutPlan { Steps = [50, 100], MinRequests = 200, MinSubjects = 20, Confidence = 0.95, MaxDuration = TimeSpan.FromHours(1), Metrics = metrics };
    }

    private static IEnumerable<(string Name, double Stable, double Canary)> Scenarios(double? tolerance)
    {
        yield return ("A/A, 5% cancelled on both arms", 0.05, 0.05);
        yield return ("A/A, 20% cancelled on both arms", 0.20, 0.20);
        yield return ("A/A, 30% cancelled on both arms", 0.30, 0.30);
        if (tolerance is not null)
        {
            yield return ("trial sdkapp2: canary 100%, stable 47% cancelled", 0.47, 1.0);
            yield return ("canary 30%, stable 20% cancelled", 0.20, 0.30);
        }
    }

    /// <summary>One step: each subject cancels with its own habit shifted to its arm's rate; answered requests are lognormal, a cancelled one is in no latency sum.</summary>
    private static (JudgeOutcome Outcome, bool OnCancel, long Canary) Step(Judge judge, ulong seed, double stableRate, double canaryRate, int horizon, double habitSigma)
    {
        var rng = new Rng(seed);
        var cumulative = new double[Subjects];
        var habit = new double[Subjects];
        var onCanary = new bool[Subjects];
        var group = new int[Subjects];
        double total = 0;
        for (var i = 0; i < Subjects; i++)
        {
            total += Math.Pow(1 - rng.NextDouble(), -1 / 1.2);
            cumulative[i] = total;
            habit[i] = habitSigma * rng.Normal();
            onCanary[i] = rng.NextDouble() < 0.5;
            group[i] = (int)(rng.NextDouble() * SubjectGroups.Count);
        }

        // Each arm's logit shift that puts its mean cancel rate at the scenario's (a canary at 100% cancels everything).
        var (shiftC, shiftS) = (Shift(habit, canaryRate), Shift(habit, stableRate));
        var canary = new ArmSample[SubjectGroups.Count];
        var stable = new ArmSample[SubjectGroups.Count];
        var outcome = JudgeOutcome.Continue;
        long canaryRequests = 0;
        for (var n = 1; canaryRequests < horizon; n++)
        {
            var x = rng.NextDouble() * total;
            var i = Array.BinarySearch(cumulative, x);
            i = Math.Min(i < 0 ? ~i : i, Subjects - 1);
            var isCanary = onCanary[i];
            var rate = isCanary ? (canaryRate >= 1 ? 1 : Logistic(habit[i] + shiftC)) : Logistic(habit[i] + shiftS);
            var arm = isCanary ? canary : stable;
            canaryRequests += isCanary ? 1 : 0;
            var g = arm[group[i]];
            var error = rng.Bernoulli(0.01);
            var cancelled = !error && rng.Bernoulli(rate);
            var log = Math.Log(800) + (0.5 * rng.Normal());
            var answered = !error && !cancelled;
            arm[group[i]] = g with
            {
                Requests = g.Requests + 1,
                Errors = g.Errors + (error ? 1 : 0),
                Cancelled = g.Cancelled + (cancelled ? 1 : 0),
                ProviderCalls = g.ProviderCalls + 1,
                RetriedCalls = g.RetriedCalls + (rng.Bernoulli(0.01) ? 1 : 0),
                LatencyCount = g.LatencyCount + (answered ? 1 : 0),
                LogLatencySum = g.LogLatencySum + (answered ? log : 0),
                LogLatencySquares = g.LogLatencySquares + (answered ? log * log : 0),
            };
            if (n % 10 == 0)
            {
                outcome = judge.Classify(Sum(canary), Sum(stable), TimeSpan.Zero);
                if (outcome is JudgeOutcome.RollBack or JudgeOutcome.Advance)
                {
                    break;
                }
            }
        }

        var onCancel = outcome == JudgeOutcome.RollBack
            && judge.Policy.Rules.FirstOrDefault(r => r.Name == Judge.CancelRate) is { } rule
            && judge.Assess(rule, Sum(canary).CapSubjects(), Sum(stable).CapSubjects()).Verdict == MetricVerdict.Harm;
        return (outcome, onCancel, canaryRequests);
    }

    private static ArmSample Sum(ArmSample[] groups)
    {
        var total = default(ArmSample);
        foreach (var g in groups)
        {
            total = ArmSample.Add(total, g);
        }

        return total with { Groups = groups };
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>The shift s with mean over subjects of logistic(habit + s) = <paramref name="rate"/> (bisection).</summary>
    private static double Shift(double[] habit, double rate)
    {
        if (rate >= 1)
        {
            return double.PositiveInfinity;
        }

        double lo = -20, hi = 20;
        for (var k = 0; k < 60; k++)
        {
            var mid = (lo + hi) / 2;
            var mean = habit.Average(h => Logistic(h + mid));
            (lo, hi) = mean < rate ? (mid, hi) : (lo, mid);
        }

        return (lo + hi) / 2;
    }
}
