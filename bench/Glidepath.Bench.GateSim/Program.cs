using System.Diagnostics;
using System.Globalization;
using Glidepath.Bench.GateSim;
using Glidepath.Evals.Gate;

// Seeded eval-gate simulation: synthetic suites (10–200 cases, mixed flakiness, 5–20 trials) judged by the
// product's own GateEvaluator; per scenario the rate at which an unchanged suite is blocked, and the rate
// at which real drops are caught, next to the old per-case rule and Holm on mid-p values.
// Usage: dotnet run -c Release --project bench/Glidepath.Bench.GateSim [-- --runs 1000 --seed 1 --confidence 0.95]
//   quick looks: --sizes 50 --trials 10,20 --profiles all,mixed --no-drops
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var runs = Arg("--runs", 1000);
var seed = Arg("--seed", 1);
var confidence = Arg("--confidence", 0.95);
var rule = new GateRule { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = confidence };
int[] sizes = [.. Arg("--sizes", "10,50,200").Split(',').Select(int.Parse)];
int[] trialCounts = [.. Arg("--trials", "5,10,20").Split(',').Select(int.Parse)];
var profiles = Arg("--profiles", "") is { Length: > 0 } only ? Profiles.Names.Where(p => only.Split(',').Any(o => p.StartsWith(o, StringComparison.Ordinal))).ToArray() : Profiles.Names;
var skipDrops = Array.IndexOf(args, "--no-drops") >= 0;
var clock = Stopwatch.StartNew();
var scenarioIndex = 0;

Console.WriteLine($"gate-sim: {runs} seeded runs per scenario, seed {seed}, confidence {confidence:0.##}, max_case_regressions 0, max_mean_drop 0");
Console.WriteLine();
Console.WriteLine("### Unchanged suites (the same pass rate on both sides): how often the gate blocks");
Console.WriteLine();
Console.WriteLine("| suite | cases | trials | gate blocked | by a case | by the mean | old per-case rule | Holm on mid-p | mean by case bootstrap |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
var worst = 0.0;
var worstName = "";
var significantlyAbove = new List<string>();
foreach (var profile in profiles)
{
    foreach (var size in sizes)
    {
        foreach (var trials in trialCounts)
        {
            var r = Run(Profiles.Unchanged(profile, size), trials, []);
            if (r.Blocked > worst)
            {
                worst = r.Blocked;
                worstName = $"{profile}, {size} cases, {trials} trials";
            }

            if (WilsonLow(r.Blocked, runs) > 0.05)
            {
                significantlyAbove.Add($"{profile}, {size} cases, {trials} trials");
            }

            Console.WriteLine($"| {profile} | {size} | {trials} | **{r.Blocked:0.0%}** | {r.ByCase:0.0%} | {r.ByMean:0.0%} | {r.Old:0.0%} | {r.MidP:0.0%} | {r.Bootstrap:0.0%} |");
        }
    }
}

Console.WriteLine();
Console.WriteLine("### Real drops on a mixed suite (60% of cases stable, 40% at 50–100%): how often the gate catches them");
Console.WriteLine();
Console.WriteLine("| drop | cases | trials | gate blocked | dropped case named | old per-case rule | Holm on mid-p | plan: power to name one case (all flaky – others stable) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
(string Name, int Count, double From, double To)[] drops =
[
    ("one case 100% → 30%", 1, 1.0, 0.3),
    ("one case 90% → 60%", 1, 0.9, 0.6),
    ("five cases 90% → 60%", 5, 0.9, 0.6),
    ("every case −10 points", int.MaxValue, 0, 0),
];
foreach (var drop in skipDrops ? [] : drops)
{
    foreach (var size in sizes)
    {
        foreach (var trials in trialCounts)
        {
            var baseSuite = Profiles.Unchanged("mixed", size);
            var rates = baseSuite.Rates.Select((r, i) =>
                drop.Count == int.MaxValue ? (r.Baseline, Math.Max(0, r.Candidate - 0.1))
                : i < drop.Count ? (drop.From, drop.To) : r).ToArray();
            var named = drop.Count == int.MaxValue ? [] : Enumerable.Range(0, drop.Count).Select(i => $"case-{i}").ToArray();
            var r = Run(baseSuite with { Rates = rates }, trials, named);
            var plan = new GatePlan(size, confidence);
            var planCell = drop.Count == 1 ? $"{plan.PowerAtLeast(drop.From, drop.To, trials):0.00} – {plan.PowerAtMost(drop.From, drop.To, trials):0.00}" : "";
            var namedCell = named.Length == 0 ? "" : $"{r.Named:0.0%}";
            Console.WriteLine($"| {drop.Name} | {size} | {trials} | **{r.Blocked:0.0%}** | {namedCell} | {r.Old:0.0%} | {r.MidP:0.0%} | {planCell} |");
        }
    }
}

Console.WriteLine();
Console.WriteLine($"### Plan: probability of naming one case that drops, {sizes[1]} cases, confidence {confidence:0.##} (every case flaky – every other case stable; exact)");
Console.WriteLine();
int[] planTrials = [5, 10, 15, 20, 30, 50];
Console.WriteLine($"| true drop | {string.Join(" | ", planTrials)} | trials for 80% |");
Console.WriteLine($"|---|{string.Concat(planTrials.Select(_ => "---|"))}---|");
var plan50 = new GatePlan(sizes[1], confidence);
foreach (var (from, to) in new[] { (1.0, 0.3), (1.0, 0.5), (1.0, 0.7), (1.0, 0.8), (0.9, 0.6), (0.8, 0.5) })
{
    var cells = planTrials.Select(n => $"{plan50.PowerAtLeast(from, to, n):0.00} – {plan50.PowerAtMost(from, to, n):0.00}");
    var need = $"{Need(plan50.TrialsNeeded(from, to, 0.8, everyCaseFlaky: true))} – {Need(plan50.TrialsNeeded(from, to, 0.8, everyCaseFlaky: false))}";
    Console.WriteLine($"| {from:0%} → {to:0%} | {string.Join(" | ", cells)} | {need} |");
}

Console.WriteLine();
// The guarantee is ≤ 2.5% (cases) + ≤ 2.5% (mean); a rate within sampling noise of 5% does not refute it.
Console.WriteLine($"worst unchanged-suite block rate: {worst:0.0%} ({worstName}; 95% interval {WilsonLow(worst, runs):0.0%}–{WilsonHigh(worst, runs):0.0%} over {runs} runs)");
Console.WriteLine(significantlyAbove.Count == 0
    ? "target ≤ 5%: no scenario significantly above it (every 95% interval reaches 5% or below)"
    : $"target ≤ 5%: NOT met in {string.Join("; ", significantlyAbove)}");
Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0} s");
return significantlyAbove.Count == 0 ? 0 : 1;

static double WilsonLow(double rate, int n) => Wilson(rate, n, -1);

static double WilsonHigh(double rate, int n) => Wilson(rate, n, 1);

static double Wilson(double rate, int n, int sign)
{
    const double Z = 1.96;
    var center = rate + (Z * Z / (2 * n));
    var spread = Z * Math.Sqrt((rate * (1 - rate) / n) + (Z * Z / (4.0 * n * n)));
    return (center + (sign * spread)) / (1 + (Z * Z / n));
}

Rates Run(Suite suite, int trials, string[] named)
{
    var si = Interlocked.Increment(ref scenarioIndex);
    int blocked = 0, byCase = 0, byMean = 0, old = 0, midP = 0, caught = 0, bootstrap = 0;
    Parallel.For(0, runs, run =>
    {
        var random = new Random((seed * 1_000_003) + (si * 100_003) + run);
        var cases = suite.Draw(random, trials);
        var d = GateEvaluator.Decide(cases, rule with { Seed = run });
        Interlocked.Add(ref blocked, d.Result == GateResult.Blocked ? 1 : 0);
        Interlocked.Add(ref byCase, d.Regressions.Count > 0 ? 1 : 0);
        Interlocked.Add(ref byMean, d.CiHigh < -rule.MaxMeanDrop ? 1 : 0);
        Interlocked.Add(ref old, Alternatives.OldRuleFlags(cases, 1 - confidence) ? 1 : 0);
        Interlocked.Add(ref midP, Alternatives.MidPHolmFlags(cases, (1 - confidence) / 2) ? 1 : 0);
        Interlocked.Add(ref bootstrap, Alternatives.CaseBootstrapFlags(cases, confidence, run) ? 1 : 0);
        Interlocked.Add(ref caught, named.Length > 0 && d.Regressions.Any(c => named.Contains(c.CaseId)) ? 1 : 0);
    });
    return new Rates((double)blocked / runs, (double)byCase / runs, (double)byMean / runs, (double)old / runs, (double)midP / runs, (double)caught / runs, (double)bootstrap / runs);
}

static string Need(int? n) => n is { } v ? v.ToString(CultureInfo.InvariantCulture) : ">200";

T Arg<T>(string name, T fallback)
    where T : IParsable<T>
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal readonly record struct Rates(double Blocked, double ByCase, double ByMean, double Old, double MidP, double Named, double Bootstrap);
