using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// The real-traffic suite (issue 12): the product's own <see cref="Judge"/> on sticky, heterogeneous subjects, rare
/// errors and tail-only slowdowns, each run twice: with subject groups (the judge as shipped) and with every request
/// as its own unit (the judge as it was), so the table shows what the groups change.
/// </summary>
internal static class RealTrafficSuite
{
    public static RolloutPlan Plan => new()
    {
        Steps = [5, 100],
        MinRequests = 200,
        MinSubjects = 20,
        Confidence = 0.95,
        Metrics = new Dictionary<string, MetricTolerance>
        {
            ["error_rate"] = new() { MaxIncrease = 0.01 },
            ["latency"] = new() { MaxRatio = 1.25 },
            ["latency_p99"] = new() { MaxIncrease = 0.005 },
            ["cost_per_call"] = new() { MaxRatio = 1.15 },
            ["online_pass_rate"] = new() { MaxDrop = 0.02 },
        },
    };

    public static RealScenario[] Scenarios()
    {
        var stable = new Traffic();
        var rare = stable with { ErrorRate = 0.001 };
        var logVar = stable.LatencySigma * stable.LatencySigma;
        return
        [
            new("s-aa-10k", "A/A, 10,000 sticky subjects, 1% canary", 10_000, 0.01, stable, false, 4000),
            new("s-aa-1k", "A/A, 1,000 sticky subjects, 1% canary (~10 canary subjects)", 1_000, 0.01, stable, false, 4000),
            new("s-aa-5", "A/A, 2,000 sticky subjects, 5% canary", 2_000, 0.05, stable, false, 4000),
            new("s-lat", "latency ×1.35, 10,000 sticky subjects, 5% canary", 10_000, 0.05, stable with { LatencyFactor = 1.35 }, true, 8000,
                VarianceCanary: logVar + 0.16, VarianceStable: logVar + 0.16, Effect: Math.Log(1.35), Tolerance: Math.Log(1.25)),
            new("s-err", "errors 1% → 4%, 2% error-prone subjects, 5% canary", 10_000, 0.05, stable with { ErrorRate = 0.04 }, true, 8000,
                VarianceCanary: 0.045 * 0.955, VarianceStable: 0.015 * 0.985, Effect: 0.03, Tolerance: 0.01),
            new("r-aa", "A/A at 0.1% errors, 10,000 subjects, 5% canary", 10_000, 0.05, rare, false, 8000, Stable: rare, ErrorProneShare: 0),
            new("r-a", "errors 0.1% → 1.3%, 5% canary", 10_000, 0.05, rare with { ErrorRate = 0.013 }, true, 8000, Stable: rare, ErrorProneShare: 0,
                VarianceCanary: 0.013 * 0.987, VarianceStable: 0.001 * 0.999, Effect: 0.012, Tolerance: 0.01),
            new("r-b", "errors 0% → 1.5%, 5% canary", 10_000, 0.05, stable with { ErrorRate = 0.015 }, true, 8000, Stable: stable with { ErrorRate = 0 }, ErrorProneShare: 0,
                VarianceCanary: 0.015 * 0.985, VarianceStable: 0, Effect: 0.015, Tolerance: 0.01),
            new("t-2", "slowest 2% of requests ×2 (median unchanged), per-request routing, 25% canary", 0, 0.25, stable with { TailShare = 0.02, TailFactor = 2 }, true, 30_000,
                VarianceCanary: 0.02 * 0.98, VarianceStable: 0.01 * 0.99, Effect: 0.01, Tolerance: 0.005),
            new("t-2s", "slowest 2% of requests ×2, 10,000 sticky subjects, 25% canary", 10_000, 0.25, stable with { TailShare = 0.02, TailFactor = 2 }, true, 30_000,
                VarianceCanary: 0.02 * 0.98, VarianceStable: 0.01 * 0.99, Effect: 0.01, Tolerance: 0.005),
            new("t-5", "slowest 2% of requests ×5 (median unchanged), per-request routing, 25% canary", 0, 0.25, stable with { TailShare = 0.02, TailFactor = 5 }, true, 30_000,
                VarianceCanary: 0.02 * 0.98, VarianceStable: 0.01 * 0.99, Effect: 0.01, Tolerance: 0.005),
            // An outside trial (traffic, 2026-12-06): a few very active users whose own calls fail, on either arm, kept
            // an equal canary undecided (or rolled back under on_inconclusive: rollback) when they landed on stable.
            new("h-aa", "error_rate only: A/A at 0.1% errors, 300 subjects, the 3 most active failing 30% of their requests on either arm, 25% canary", 300, 0.25, rare, false, 4000, Stable: rare,
                ErrorProneShare: 0, ErrorProneRate: 0.3, HeaviestErrorProne: 3, OnlyMetric: "error_rate"),
            new("h-err", "error_rate only: errors 0.1% → 1.3%, 300 subjects, the 3 most active failing 30% on either arm, 25% canary", 300, 0.25, rare with { ErrorRate = 0.013 }, true, 4000, Stable: rare,
                ErrorProneShare: 0, ErrorProneRate: 0.3, HeaviestErrorProne: 3, OnlyMetric: "error_rate",
                VarianceCanary: 0.013 * 0.987, VarianceStable: 0.001 * 0.999, Effect: 0.012, Tolerance: 0.01),
            // The canary-alone bound's worst case: stable never fails, so the bound and the difference's interval test
            // the same thing, and a canary exactly at the tolerance must be declared safe in at most α/2 of runs.
            new("r-edge", "error_rate only: errors 0% → 1.0% (exactly the tolerance), 10,000 subjects, 5% canary", 10_000, 0.05, stable with { ErrorRate = 0.01 }, true, 8000,
                Stable: stable with { ErrorRate = 0 }, ErrorProneShare: 0, OnlyMetric: "error_rate",
                VarianceCanary: 0.01 * 0.99, VarianceStable: 0, Effect: 0.01, Tolerance: 0.01),
            // And its mirror on a drop: stable always passes, the canary passes exactly 1 − max_drop.
            new("p-edge", "online_pass_rate only: passes 100% → 98% (exactly the tolerance), 10,000 subjects, 5% canary", 10_000, 0.05, stable with { PassRate = 0.98 }, true, 8000,
                Stable: stable with { PassRate = 1.0 }, OnlyMetric: "online_pass_rate",
                VarianceCanary: 0.02 * 0.98, VarianceStable: 0, Effect: -0.02, Tolerance: -0.02),
            // Errors a caller's request alone can cause on one arm (refusals of the request, timeouts; outside trials
            // attacker2 and "today"): the judge credits a canary with fewer of them than stable only within chance.
            new("o-aa", "error_rate only: A/A, 1% errors and 3% refusals of the request on either arm, 2,000 subjects, 5% canary", 2_000, 0.05,
                stable with { OneArmRate = 0.03 }, false, 8000, Stable: stable with { OneArmRate = 0.03 }, OnlyMetric: "error_rate", OneArm: true),
            new("o-aa-h", "error_rate only: A/A, the 3 most active of 300 subjects refused 30% of their requests on either arm, 25% canary", 300, 0.25,
                rare with { ErrorProneOneArm = true }, false, 4000, Stable: rare with { ErrorProneOneArm = true }, ErrorProneShare: 0, ErrorProneRate: 0.3,
                HeaviestErrorProne: 3, OnlyMetric: "error_rate", OneArm: true),
            new("o-better", "error_rate only: the canary accepts the 5% of requests stable refuses, other errors equal (1%), 2,000 subjects, 5% canary", 2_000, 0.05,
                stable, false, 8000, Stable: stable with { OneArmRate = 0.05 }, OnlyMetric: "error_rate", OneArm: true),
            new("o-hide", "error_rate only: errors 1% → 2.5% on a canary, and 3% of stable's requests refused that the canary accepts, 2,000 subjects, 5% canary", 2_000, 0.05,
                stable with { ErrorRate = 0.025 }, true, 8000, Stable: stable with { OneArmRate = 0.03 }, OnlyMetric: "error_rate", OneArm: true,
                VarianceCanary: 0.025 * 0.975, VarianceStable: 0.04 * 0.96, Effect: 0.015, Tolerance: 0.01),
            new("o-attack", "error_rate only: errors 1% → 12% on a canary, and 11% of stable's requests timed out that the canary answers (trial \"today\"), 2,000 subjects, 5% canary", 2_000, 0.05,
                stable with { ErrorRate = 0.12 }, true, 8000, Stable: stable with { OneArmRate = 0.11 }, OnlyMetric: "error_rate", OneArm: true,
                VarianceCanary: 0.12 * 0.88, VarianceStable: 0.12 * 0.88, Effect: 0.11, Tolerance: 0.01),
            .. MirrorScenarios.All(stable),
        ];
    }

    /// <summary>Runs <paramref name="runs"/> seeded rollouts of one scenario; the judge looks every <paramref name="lookEvery"/> canary requests.</summary>
    /// <param name="tellOneArm">False: the judge sees one-arm errors as errors like any other (as before it told them apart).</param>
    public static RealResult Run(RealScenario s, Judge judge, int runs, ulong seed, int lookEvery, bool withGroups, int scenarioIndex, bool parallel = true, bool tellOneArm = true) =>
        Run(s, [judge], runs, seed, lookEvery, withGroups, scenarioIndex, parallel, tellOneArm)[0];

    /// <summary>
    /// The same, with several judges looking at the same traffic of each run (paired: a run's traffic does not depend on
    /// the judge); a run goes on until every judge has decided or the horizon is reached.
    /// </summary>
    public static RealResult[] Run(RealScenario s, Judge[] judges, int runs, ulong seed, int lookEvery, bool withGroups, int scenarioIndex, bool parallel = true, bool tellOneArm = true)
    {
        var stops = judges.Select(_ => new long[runs]).ToArray();
        var advanced = judges.Select(_ => new bool[runs]).ToArray();
        var stable = s.Stable ?? new Traffic();
        void One(int run)
        {
            var rng = new Rng((seed * 1_000_003UL) + ((ulong)scenarioIndex * 100_000UL) + (ulong)run);
            var population = new Population(rng, s.Subjects, latencySigma: s.SubjectSigma, errorProneShare: s.ErrorProneShare, errorProneRate: s.ErrorProneRate, heaviestErrorProne: s.HeaviestErrorProne);
            var canary = new ArmAccumulator(tellOneArm);
            var stableArm = new ArmAccumulator(tellOneArm);
            var open = judges.Length;
            var decided = new bool[judges.Length];
            foreach (var st in stops)
            {
                st[run] = -1;
            }

            // Drawn only when used, so the other scenarios keep their random streams.
            var callerGroup = s.StableCallerShare > 0 ? (int)(rng.NextDouble() * Glidepath.Traces.SubjectGroups.Count) : -1;
            long nextLook = lookEvery;
            var budget = (long)(s.Horizon / s.Weight * 20);
            for (long i = 0; i < budget && canary.Requests < s.Horizon; i++)
            {
                var subject = population.Next(rng);
                var isCanary = subject.Bucket < s.Weight * 100;
                var request = (isCanary ? s.Canary : stable).Draw(rng, subject, population.ErrorProneRate);
                (isCanary ? canary : stableArm).Add(withGroups ? subject.Group : -1, request);
                if (!isCanary && callerGroup >= 0 && rng.Bernoulli(s.StableCallerShare))
                {
                    var answered = s.CallerLatencyFactor > 1 || s.CallerCostFactor > 1;
                    stableArm.Add(withGroups ? callerGroup : -1, answered
                        ? new Request(false, request.LatencyMs * s.CallerLatencyFactor, request.Cost * s.CallerCostFactor, request.Passed)
                        : new Request(true, request.LatencyMs, 0, false));
                }

                if (!isCanary || canary.Requests < nextLook)
                {
                    continue;
                }

                nextLook = canary.Requests + Math.Max(lookEvery, canary.Requests / 100);

                var (c, st) = (canary.Sample(withGroups), stableArm.Sample(withGroups));
                for (var j = 0; j < judges.Length; j++)
                {
                    if (decided[j])
                    {
                        continue;
                    }

                    var outcome = judges[j].Classify(c, st, TimeSpan.Zero);
                    if (outcome == JudgeOutcome.RollBack)
                    {
                        stops[j][run] = canary.Requests;
                    }
                    else if (outcome == JudgeOutcome.Advance)
                    {
                        advanced[j][run] = true;
                    }
                    else
                    {
                        continue;
                    }

                    decided[j] = true;
                    open--;
                }

                if (open == 0)
                {
                    return;
                }
            }
        }

        SeededRuns.Each(runs, parallel, One);

        return [.. judges.Select((_, j) => new RealResult(runs, stops[j].Count(x => x >= 0), advanced[j].Count(a => a), stops[j]))];
    }

    /// <param name="shippedOnly">Only the judge as shipped (subject groups): the "before" rows are left out.</param>
    /// <param name="knownVariance">Judge as before the small-sample correction: every variance taken as known (<see cref="JudgePolicy.KnownVariance"/>).</param>
    public static int Report(int runs, ulong seed, int lookEvery, string only, bool shippedOnly = false, bool knownVariance = false)
    {
        var policy = JudgePolicy.From(Plan) with { KnownVariance = knownVariance };
        var judge = new Judge(policy);
        var halfAlpha = policy.AlphaPerMetric / 2;
        Console.WriteLine($"canary-sim --suite real: {runs} seeded rollouts per scenario and judge, seed {seed}; the judge looks every {lookEvery} canary requests, or every 1% of the canary's requests when that is more");
        if (knownVariance)
        {
            Console.WriteLine("judge: every variance taken as known (--known-variance: as before the small-sample correction)");
        }

        Console.WriteLine($"plan: error_rate +0.01, latency ×1.25, latency_p99 +0.005, cost_per_call ×1.15, online_pass_rate −0.02; confidence 0.95 → α per metric {policy.AlphaPerMetric:0.####} (α/2 = {halfAlpha:P2} per side); min_requests 200, min_subjects 20");
        Console.WriteLine("subjects: Pareto(1.2) activity, per-subject latency factor lognormal(0, 0.4), 2% error-prone subjects failing 20% of requests (unless stated)");
        Console.WriteLine();
        Console.WriteLine("| scenario | variance units | rolled back | declared safe | undecided at horizon | canary requests by which 80% rolled back | look-once n (80% power) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
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

            foreach (var shipped in shippedOnly ? new[] { true } : new[] { true, false })
            {
                // A one-arm scenario's "before" is the judge that did not tell one-arm errors apart (with groups).
                var withGroups = shipped || s.OneArm;
                var r = Run(s, s.JudgeFor(judge), runs, seed, lookEvery, withGroups, i, tellOneArm: shipped || !s.OneArm);
                double back = (double)r.RolledBack / runs, safe = (double)r.Advanced / runs, open = (double)r.Undecided / runs;
                var p80 = double.IsPositiveInfinity(r.P80Stop) ? "–" : r.P80Stop.ToString("0");
                var lookOnce = s.Harmful && s.Effect != s.Tolerance ? s.LookOnceN(policy.AlphaPerMetric).ToString("0") : "–"; // at the tolerance: no power to have
                Console.WriteLine($"| {s.Key}: {s.Title} (horizon {s.Horizon}) | {(shipped ? "subject groups (shipped)" : s.OneArm ? "one-arm errors not told apart (before)" : "requests (before)")} | {back:P1} ({r.RolledBack}) | {safe:P1} ({r.Advanced}) | {open:P1} | {(s.Harmful ? p80 : "–")} | {lookOnce} |");
                if (!shipped)
                {
                    continue;
                }

                if (s.AtTolerance && back > halfAlpha)
                {
                    failures.Add($"{s.Key}: rolled back at exactly the tolerance {back:P2} > α/2 {halfAlpha:P2}");
                }

                if (!s.Harmful && back > 0.01)
                {
                    failures.Add($"{s.Key}: false rollback {back:P1} > 1%");
                }

                if (s.Harmful && safe > halfAlpha)
                {
                    failures.Add($"{s.Key}: harm declared safe {safe:P2} > α/2 {halfAlpha:P2}");
                }

                if (s.Key == "t-2" && back < 0.9)
                {
                    failures.Add($"{s.Key}: tail ×2 caught in {back:P1} < 90%");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores");
        if (failures.Count > 0)
        {
            Console.WriteLine("ACCEPTANCE FAILED: " + string.Join("; ", failures));
            return 1;
        }

        Console.WriteLine("acceptance: A/A false rollback ≤ 1% with sticky subjects, harm declared safe ≤ α/2 in every harmful scenario, tail ×2 caught ≥ 90% — met");
        return 0;
    }
}
