using System.Diagnostics;
using System.Globalization;
using Glidepath.Bench.CanarySim;
using Glidepath.Manifests;
using Glidepath.Rollouts;

// Seeded canary simulation: the same synthetic request streams judged side by side by Glidepath's sequential
// judge, a Flagger-style fixed-threshold check and a Kayenta-style Mann-Whitney judge.
// Usage: dotnet run -c Release --project bench/Glidepath.Bench.CanarySim [-- --runs 1000 --horizon 6000 --weight 0.05 --seed 1]
//        dotnet run -c Release --project bench/Glidepath.Bench.CanarySim -- --suite real [--runs 1000 --seed 1 --look-every 10 --only s-lat,t-2 --shipped-only --known-variance]
//        dotnet run -c Release --project bench/Glidepath.Bench.CanarySim -- --suite real --mirror-paired [--mirror-split-alpha --runs 2000 --seed 3 --only m-hide,x-cost-edge-50]
//        dotnet run -c Release --project bench/Glidepath.Bench.CanarySim -- --suite shadow [--runs 300 --seed 1 --horizon 6000]
//        dotnet run -c Release --project bench/Glidepath.Bench.CanarySim -- --suite netting [--runs 1000 --seed 1 --only aa-user,atk]
//        dotnet run -c Release --project bench/Glidepath.Bench.CanarySim -- --suite cancel [--runs 400 --seed 1 --horizon 20000 --habit-sigma 1 --tolerances none,0.02,0.03,0.05]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Arg("--suite", "per-request") == "real" && args.Contains("--mirror-paired"))
{
    return MirrorPairedReport.Report(Arg("--runs", 1000), (ulong)Arg("--seed", 1), Arg("--look-every", 10), Arg("--only", ""), args.Contains("--mirror-split-alpha"));
}

if (Arg("--suite", "per-request") == "real")
{
    return RealTrafficSuite.Report(Arg("--runs", 1000), (ulong)Arg("--seed", 1), Arg("--look-every", 10), Arg("--only", ""), args.Contains("--shipped-only"), args.Contains("--known-variance"));
}

if (Arg("--suite", "per-request") == "netting")
{
    return NettingSuite.Report(Arg("--runs", 1000), (ulong)Arg("--seed", 1), Arg("--only", ""));
}

if (Arg("--suite", "per-request") == "cancel")
{
    return CancelSuite.Report(Arg("--runs", 400), (ulong)Arg("--seed", 1), Arg("--horizon", 20000), Arg("--habit-sigma", 1.0), Arg("--tolerances", "none,0.02,0.03,0.05"));
}

if (Arg("--suite", "per-request") == "shadow")
{
    return ShadowSuite.Report(Arg("--runs", 300), Arg("--seed", 1), Arg("--horizon", 6000));
}

var runs = Arg("--runs", 1000);
var horizon = Arg("--horizon", 6000);
var weight = Arg("--weight", 0.05);
var seed = (ulong)Arg("--seed", 1);

var plan = new RolloutPlan
{
    Steps = [weight * 100, 100],
    MinRequests = 200,
    Confidence = 0.95,
    Metrics = new Dictionary<string, MetricTolerance>
    {
        ["error_rate"] = new() { MaxIncrease = 0.01 },
        ["latency"] = new() { MaxRatio = 1.25 },
        ["cost_per_call"] = new() { MaxRatio = 1.15 },
        ["online_pass_rate"] = new() { MaxDrop = 0.02 },
    },
};
var policy = JudgePolicy.From(plan);
var judge = new Judge(policy);
var stable = new Traffic();
var costCv2 = Math.Exp(stable.CostSigma * stable.CostSigma) - 1;
var logLatVar = stable.LatencySigma * stable.LatencySigma;
var slowVar = logLatVar + (0.2 * 0.8 * Math.Log(5) * Math.Log(5));
Scenario[] scenarios =
[
    new("A/A", "A/A (no change)", stable, Harmful: false),
    new("a", "errors 1% → 5%", stable with { ErrorRate = 0.05 }, true, 0.05 * 0.95, 0.01 * 0.99, 0.04, 0.01),
    new("b", "online pass rate 90% → 85%", stable with { PassRate = 0.85 }, true, 0.85 * 0.15, 0.9 * 0.1, -0.05, -0.02),
    new("c", "latency ×1.3", stable with { LatencyFactor = 1.3 }, true, logLatVar, logLatVar, Math.Log(1.3), Math.Log(1.25)),
    new("d", "cost per call ×1.25", stable with { CostFactor = 1.25 }, true, costCv2, costCv2, Math.Log(1.25), Math.Log(1.15)),
    new("e", "bimodal: 20% of requests 5× slower", stable with { SlowShare = 0.2, SlowFactor = 5 }, true, slowVar, logLatVar, 0.2 * Math.Log(5), Math.Log(1.25)),
];

var p99 = stable.LatencyMedianMs * Math.Exp(stable.LatencySigma * Gaussian.Quantile(0.99));
var meanCost = stable.CostMedian * Math.Exp(stable.CostSigma * stable.CostSigma / 2);
var limits = new Thresholds(stable.ErrorRate + 0.01, p99 * 1.25, meanCost * 1.15, stable.PassRate - 0.02);
string[] judges = ["glidepath (sequential)", "flagger-style (fixed thresholds)", "kayenta-style (Mann-Whitney)"];

Console.WriteLine($"canary-sim: {runs} seeded rollouts per scenario, canary weight {weight:P0}, horizon {horizon} canary requests, seed {seed}");
Console.WriteLine($"plan: error_rate max_increase 0.01, latency max_ratio 1.25, cost_per_call max_ratio 1.15, online_pass_rate max_drop 0.02; confidence 0.95 → α per metric {policy.AlphaPerMetric:0.#####}; min_requests {plan.MinRequests}");
Console.WriteLine($"glidepath looks after every request; flagger-style checks every {FlaggerSimJudge.Interval} canary requests (rollback after {FlaggerSimJudge.Threshold} failed checks); kayenta-style every {KayentaSimJudge.Interval} (growing lookback, confidence 0.98)");
Console.WriteLine();
Console.WriteLine("| scenario | judge | rolled back | median canary requests to rollback | canary requests by which 80% of runs rolled back | look-once n (80% power) | 80% point / look-once n |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");

var failures = new List<string>();
var missedTruth = 0;
var missedByMetric = new int[policy.Rules.Count];
var aaRuns = 0;
var clock = Stopwatch.StartNew();
var only = Arg("--only", "");
for (var si = 0; si < scenarios.Length; si++)
{
    var scenario = scenarios[si];
    if (only.Length > 0 && !only.Split(',').Contains(scenario.Key))
    {
        continue;
    }

    var stops = new long[judges.Length][];
    for (var j = 0; j < judges.Length; j++)
    {
        stops[j] = new long[runs];
    }

    Parallel.For(0, runs, run =>
    {
        var rng = new Rng((seed * 1_000_003UL) + ((ulong)si * 100_000UL) + (ulong)run);
        var ours = new SequentialSimJudge(judge, trackCoverage: !scenario.Harmful);
        ISimJudge[] sims =
        [
            ours,
            new FlaggerSimJudge(limits),
            new KayentaSimJudge(new Rng(~((ulong)run * 7919UL + (ulong)si)), weight / (1 - weight), 0.01, Math.Log(1.25), Math.Log(1.15), 0.02),
        ];
        var done = new bool[sims.Length];
        var open = sims.Length;
        long canaryN = 0;
        for (var j = 0; j < sims.Length; j++)
        {
            stops[j][run] = -1;
        }

        while (open > 0 && canaryN < horizon)
        {
            var isCanary = rng.Bernoulli(weight);
            var request = (isCanary ? scenario.Canary : stable).Draw(rng);
            canaryN += isCanary ? 1 : 0;
            for (var j = 0; j < sims.Length; j++)
            {
                if (done[j])
                {
                    continue;
                }

                var verdict = sims[j].Observe(isCanary, request);
                if (verdict == SimVerdict.RolledBack)
                {
                    stops[j][run] = canaryN;
                    done[j] = true;
                    open--;
                }
                else if (verdict == SimVerdict.Advanced && scenario.Harmful)
                {
                    // The judge would have widened a harmful canary: counted as a miss.
                    done[j] = true;
                    open--;
                }
            }
        }

        if (ours.MissedTruth)
        {
            Interlocked.Increment(ref missedTruth);
        }

        for (var m = 0; m < missedByMetric.Length; m++)
        {
            if (ours.MissedByMetric[m])
            {
                Interlocked.Increment(ref missedByMetric[m]);
            }
        }
    });

    aaRuns += scenario.Harmful ? 0 : runs;
    var fixedN = scenario.Harmful ? scenario.FixedHorizonN(policy.AlphaPerMetric, weight) : double.NaN;
    for (var j = 0; j < judges.Length; j++)
    {
        var hits = stops[j].Where(s => s >= 0).Order().ToArray();
        var rate = (double)hits.Length / runs;
        var median = hits.Length > 0 ? hits[(hits.Length - 1) / 2] : double.NaN;
        // The fair comparison with an 80%-power look-once n is the point by which 80% of all runs rolled back.
        var need = (int)Math.Ceiling(0.8 * runs);
        var p80 = hits.Length >= need ? hits[need - 1] : double.PositiveInfinity;
        var fixedText = scenario.Harmful ? fixedN.ToString("0") : "–";
        var ratio = scenario.Harmful && !double.IsPositiveInfinity(p80) ? (p80 / fixedN).ToString("0.00") : "–";
        Console.WriteLine($"| {scenario.Key}: {scenario.Title} | {judges[j]} | {rate:P1} | {(hits.Length > 0 ? median : "–")} | {(double.IsPositiveInfinity(p80) ? "–" : p80)} | {fixedText} | {ratio} |");
        if (j != 0)
        {
            continue;
        }

        if (!scenario.Harmful && rate > 0.01)
        {
            failures.Add($"A/A false rollback {rate:P1} > 1%");
        }

        if (scenario.Harmful && rate < 0.95)
        {
            failures.Add($"({scenario.Key}) detected in {rate:P1} < 95%");
        }

        if (scenario.Harmful && scenario.Key != "e" && p80 > 2 * fixedN)
        {
            failures.Add($"({scenario.Key}) 80% of runs rolled back only by {p80} > 2 × look-once n {fixedN}");
        }
    }
}

Console.WriteLine();
Console.WriteLine($"A/A coverage: in {missedTruth} of {aaRuns} runs ({(double)missedTruth / Math.Max(aaRuns, 1):P1}) some metric's interval excluded the true difference 0 at some look (the sequences promise ≤ {1 - plan.Confidence:P0} across all metrics, whatever the tolerance)");
Console.WriteLine("  per metric: " + string.Join(", ", policy.Rules.Select((r, i) => $"{r.Name} {(double)missedByMetric[i] / Math.Max(aaRuns, 1):P1} (α {policy.AlphaPerMetric:0.####})")));
if ((double)missedTruth / Math.Max(aaRuns, 1) > 1 - plan.Confidence)
{
    failures.Add("A/A coverage of the confidence sequences below the promised level");
}

Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores");
if (failures.Count > 0)
{
    Console.WriteLine("ACCEPTANCE FAILED: " + string.Join("; ", failures));
    return 1;
}

Console.WriteLine("acceptance: A/A ≤ 1%, (a)–(e) detected in ≥ 95%, (a)–(d) 80% of runs rolled back within 2× the look-once n at 80% power — met");
return 0;

T Arg<T>(string name, T fallback)
    where T : IParsable<T>
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
