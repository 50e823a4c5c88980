using System.Diagnostics;
using Glidepath.Rollouts;

namespace Glidepath.Bench.CanarySim;

/// <summary>How often each rule held the runs of one scenario: the raw overlap (before) and overlap with chance (after).</summary>
internal sealed record NettingResult(int Runs, int Material, int HeldBefore, int HeldAfter);

/// <summary>
/// The netted hold (RolloutController.Netting.cs) on seeded sticky traffic: how often it holds a healthy rollout whose
/// arms refuse the same callers alike, and how often it holds the attack it exists for (outside trial attacker3, HIGH 1).
/// The rule is evaluated as the controller does when an advance is about to be applied: on the newest
/// <see cref="ErrorMix.ReadLimit"/> one-arm errors per arm, when the canary's are at least half the tolerance of its
/// requests. A step is checked once when it is not held (the advance applies); the judge's first advance may come at any
/// of <see cref="Passes"/> canary requests, and a run counts as held when any of them holds (at most three checks).
/// </summary>
internal static class NettingSuite
{
    /// <summary>error_rate's max_increase in the plan: the canary's one-arm errors must be half of it to be checked.</summary>
    public const double Tolerance = 0.01;

    /// <summary>Canary requests at which the hold is checked.</summary>
    public static readonly int[] Passes = [1000, 2000, 3000];

    public static NettingScenario[] Scenarios() =>
    [
        new("aa-50", "A/A, 50 keys, 2,000 subjects, 1% refused on either arm, 5% canary", 2_000, 50, 0.05, 0.01),
        new("aa-200", "A/A, 200 keys, 2,000 subjects, 2% refused, 10% canary", 2_000, 200, 0.10, 0.02),
        new("aa-500", "A/A, 500 keys, 2,000 subjects, 3% refused, 5% canary", 2_000, 500, 0.05, 0.03),
        new("aa-user", "A/A, one key per subject (2,000; a key on one arm), 2% refused, 5% canary", 2_000, 0, 0.05, 0.02),
        new("aa-heavy", "A/A, 50 keys, 300 subjects, 1% refused, the 3 most active refused 30% on either arm, 10% canary", 300, 50, 0.10, 0.01, HeavyRefusers: 3),
        new("aa-heavy-user", "A/A, one key per subject (300), 1% refused, the 3 most active refused 30%, 10% canary", 300, 0, 0.10, 0.01, HeavyRefusers: 3),
        new("atk", "attack: canary times out on 5% of ordinary callers' requests, one key makes stable time out on 5.7% of its requests, 200 keys, 5% canary", 2_000, 200, 0.05, 0, CanaryTimeouts: 0.05, AttackShare: 0.057),
        new("atk-r", "attack as above, with 1% refused on either arm", 2_000, 200, 0.05, 0.01, CanaryTimeouts: 0.05, AttackShare: 0.057),
        new("atk-5", "attack over 5 keys, 1% refused on either arm", 2_000, 200, 0.05, 0.01, CanaryTimeouts: 0.05, AttackShare: 0.057, AttackKeys: 5),
        new("atk-pin", "attack with the attacker's subjects all on stable, 1% refused", 2_000, 200, 0.05, 0.01, CanaryTimeouts: 0.05, AttackShare: 0.057, AttackPinned: true),
        new("atk-dilute", "attack as atk-r, and the attacker also sends 6% of all requests that both arms refuse (its key over half the canary's such errors)", 2_000, 200, 0.05, 0.01, CanaryTimeouts: 0.05, AttackShare: 0.057, AttackRefused: 0.06),
        new("atk-user", "attack, one key per ordinary subject, the attacker's subjects all on stable, 1% refused", 2_000, 0, 0.05, 0.01, CanaryTimeouts: 0.05, AttackShare: 0.057, AttackPinned: true),
    ];

    /// <summary>Runs <paramref name="runs"/> seeded steps of one scenario under both rules.</summary>
    public static NettingResult Run(NettingScenario s, int runs, ulong seed, int scenarioIndex, bool parallel = true)
    {
        var material = new bool[runs];
        var before = new bool[runs];
        var after = new bool[runs];
        void One(int run)
        {
            var rng = new Rng((seed * 1_000_003UL) + ((ulong)scenarioIndex * 100_000UL) + (ulong)run);
            var traffic = new NettingTraffic(rng, s);
            foreach (var pass in Passes)
            {
                traffic.RunUntil(pass);
                var (c, st) = (traffic.Canary, traffic.Stable);
                if (c.OneArm < Tolerance / 2 * c.Requests || st.OneArm == 0)
                {
                    continue;
                }

                material[run] = true;
                before[run] |= NettedCallers.Overlap(c.ByKey(), st.ByKey()) < RolloutController.NettedOverlap;
                if (!after[run] && NettedCallers.PValue(c.Newest(), st.Newest()) < RolloutController.NettedAlpha)
                {
                    after[run] = true;
                }

                if (before[run] && after[run])
                {
                    return;
                }
            }
        }

        SeededRuns.Each(runs, parallel, One);

        return new NettingResult(runs, material.Count(m => m), before.Count(h => h), after.Count(h => h));
    }

    /// <summary>The one-sided 95% upper bound (Clopper–Pearson) of a rate seen <paramref name="k"/> times in <paramref name="n"/>.</summary>
    public static double Upper95(int k, int n)
    {
        if (k >= n)
        {
            return 1;
        }

        double lo = (double)k / n, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = AtMost(k, n, mid) > 0.05 ? (mid, hi) : (lo, mid);
        }

        return hi;
    }

    /// <summary>P(X ≤ k) for X ~ Binomial(n, p).</summary>
    private static double AtMost(int k, int n, double p)
    {
        var log = n * Math.Log(1 - p);
        double sum = Math.Exp(log), ratio = p / (1 - p);
        for (var i = 0; i < k; i++)
        {
            log += Math.Log((double)(n - i) / (i + 1) * ratio);
            sum += Math.Exp(log);
        }

        return sum;
    }

    public static int Report(int runs, ulong seed, string only)
    {
        Console.WriteLine($"canary-sim --suite netting: {runs} seeded steps per scenario, seed {seed}; the hold is checked at {string.Join(", ", Passes)} canary requests (held: at any), on the newest {ErrorMix.ReadLimit} one-arm errors per arm, when the canary's are ≥ {Tolerance / 2:0.###} of its requests");
        Console.WriteLine($"before: held when the arms' shares by key overlap < {RolloutController.NettedOverlap}; after: held when the permutation p-value (whole subjects) < {RolloutController.NettedAlpha}, whatever the overlap");
        Console.WriteLine("subjects: Pareto(1.2) activity, sticky (a subject's requests all on one arm), keys Zipf(1) over subjects");
        Console.WriteLine();
        Console.WriteLine("| scenario | checked | held before (95% upper) | held after (95% upper) |");
        Console.WriteLine("|---|---:|---:|---:|");
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var scenarios = Scenarios();
        for (var i = 0; i < scenarios.Length; i++)
        {
            var s = scenarios[i];
            if (only.Length > 0 && !only.Split(',').Contains(s.Key))
            {
                continue;
            }

            var r = Run(s, runs, seed, i);
            string Rate(int k) => $"{(double)k / runs:P1} ({Upper95(k, runs):P1})";
            Console.WriteLine($"| {s.Key}: {s.Title} | {(double)r.Material / runs:P0} | {Rate(r.HeldBefore)} | {Rate(r.HeldAfter)} |");
            if (!s.Attack && Upper95(r.HeldAfter, runs) > 0.01)
            {
                failures.Add($"{s.Key}: false holds {(double)r.HeldAfter / runs:P1}, upper bound > 1%");
            }

            // A diluted attack (requests both arms refuse under the attacker's keys) is the hardest to tell apart: 80%.
            var floor = s.AttackRefused > 0 ? 0.8 : 0.95;
            if (s.Attack && s.Keys > 0 && (double)r.HeldAfter / runs < floor)
            {
                failures.Add($"{s.Key}: attack held in {(double)r.HeldAfter / runs:P1} < {floor:P0}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores");
        if (failures.Count > 0)
        {
            Console.WriteLine("ACCEPTANCE FAILED: " + string.Join("; ", failures));
            return 1;
        }

        Console.WriteLine("acceptance: honest false holds' 95% upper bound ≤ 1%, the attack on shared keys held in ≥ 95% of runs (a diluted one in ≥ 80%) — met");
        return 0;
    }
}
