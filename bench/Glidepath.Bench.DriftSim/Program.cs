using System.Diagnostics;
using System.Globalization;
using Glidepath.Bench.DriftSim;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

// Seeded drift-monitor simulation: traffic with a daily cycle, a release that becomes stable at 02:00 on day 0, checked
// every 5 minutes (as `glidepath serve` does) by the product's DriftMonitor with three choices of what to compare.
// Usage: dotnet run -c Release --project bench/Glidepath.Bench.DriftSim [-- --runs 100 --days 10 --rate 50 --seed 1 --only S,a]
//        dotnet run -c Release --project bench/Glidepath.Bench.DriftSim -- --suite subjects [--runs 2000 --seed 1 --only hide-flat,one-flat]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (Arg("--suite", "cycle") == "subjects")
{
    return SubjectSuite.Report(Arg("--runs", 2000), (ulong)Arg("--seed", 1), Arg("--only", ""));
}

var runs = Arg("--runs", 100);
var days = Arg("--days", 10);
var rate = Arg("--rate", 50.0);
var seed = (ulong)Arg("--seed", 1);
var only = Arg("--only", "");
const int ChangeDay = 3;
var start = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
var release = start.AddHours(2);
var every = TimeSpan.FromMinutes(5);

var manifest = new Manifest
{
    App = "drift-sim",
    Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
};
// The product spends α = 1 − confidence per look (split across the metrics). The alternative measured next to it spends
// it per day, split across the 1,440 distinct minute windows of a day: a bound per day however often one looks.
const int LooksPerDay = 24 * 60;
var perLook = DriftPolicy.From(manifest);
var alphaPerLook = perLook.Judge.AlphaPerMetric;
var alphaPerDay = alphaPerLook / LooksPerDay;
var perDay = perLook with { Judge = perLook.Judge with { AlphaPerMetric = alphaPerDay, Rho = ConfidenceSequence.RhoFor(perLook.Judge.MinRequests, alphaPerDay) } };
SimMonitor[] monitors =
[
    new("before: first hour after release vs last hour, α per look", perLook, firstHourReference: true),
    new("same clock window on ≤7 earlier days, α per look (product)", perLook, firstHourReference: false),
    new("same clock window on ≤7 earlier days, α per day (1,440 looks)", perDay, firstHourReference: false),
];

var baseline = new CycleTraffic { RequestsPerMinute = rate };
Scenario[] scenarios =
[
    new("S", "stationary daily cycle", baseline, Harmful: false),
    new("t1", "latency ×1.25 from day 3 (at the tolerance: any alert is false)", baseline with { LatencyFactor = 1.25 }, Harmful: false),
    new("t2", "errors 1% → 2% from day 3 (at the tolerance)", baseline with { ErrorIncrease = 0.01 }, Harmful: false),
    new("t3", "online pass rate 90% → 87% from day 3 (at the tolerance)", baseline with { PassDrop = 0.03 }, Harmful: false),
    new("a", "latency ×1.5 from day 3", baseline with { LatencyFactor = 1.5 }, Harmful: true),
    new("b", "errors 1% → 3% from day 3", baseline with { ErrorIncrease = 0.02 }, Harmful: true),
    new("c", "online pass rate 90% → 80% from day 3", baseline with { PassDrop = 0.10 }, Harmful: true),
];

Console.WriteLine($"drift-sim: {runs} seeded runs of {days} days per scenario, seed {seed}; {rate:0.#} requests/minute on average ({rate * 60:0} an hour),");
Console.WriteLine($"volume ×{baseline.VolumeCycle} and latency ×{baseline.LatencyCycle} from trough (02:00) to peak (14:00); errors {baseline.ErrorRate:P0}, pass rate {baseline.PassRate:P0} at sample_rate {baseline.SampleRate};");
Console.WriteLine($"release stable at 02:00 on day 0, checked every {every.TotalMinutes} minutes with a {perDay.RecentWindow.TotalHours} h recent window; default tolerances; changes at a seeded time on day {ChangeDay}.");
Console.WriteLine($"α per metric: per look {alphaPerLook:0.#####}; per day {alphaPerDay:0.###e0} (split across {LooksPerDay} looks)");
Console.WriteLine();
Console.WriteLine("| scenario | reference | first look that compares | days with a false alarm [95% CI] | detected within 24 h | median delay | p90 delay | last alert after the change (median) |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");

var clock = Stopwatch.StartNew();
for (var si = 0; si < scenarios.Length; si++)
{
    var scenario = scenarios[si];
    if (only.Length > 0 && !only.Split(',').Contains(scenario.Key))
    {
        continue;
    }

    var results = new RunResult[monitors.Length][];
    for (var k = 0; k < monitors.Length; k++)
    {
        results[k] = new RunResult[runs];
    }

    Parallel.For(0, runs, run =>
    {
        var rng = new Rng((seed * 1_000_003UL) + ((ulong)si * 100_000UL) + (ulong)run);
        var changeMinute = (ChangeDay * 1440) + (int)(rng.NextDouble() * 1440);
        var changeAt = start.AddMinutes(changeMinute);
        var cumulative = (scenario.Traffic with { ChangeMinute = changeMinute }).Simulate(rng, days);
        for (var k = 0; k < monitors.Length; k++)
        {
            var r = new RunResult { ChangeAt = changeAt };
            for (var now = release + every; now < start.AddDays(days); now += every)
            {
                if (monitors[k].Check(cumulative, start, release, now) is not { } alert)
                {
                    continue;
                }

                r.FirstReady ??= now;
                var day = (int)((now - start).Ticks / TimeSpan.TicksPerDay);
                var nullDay = !scenario.Harmful || day < ChangeDay;
                if (nullDay)
                {
                    r.NullDays.Add(day);
                }

                if (!alert)
                {
                    continue;
                }

                if (nullDay)
                {
                    r.FalseAlarmDays.Add(day);
                }

                if (now > changeAt)
                {
                    r.FirstAfterChange ??= now;
                    r.LastAfterChange = now;
                }
            }

            results[k][run] = r;
        }
    });

    for (var k = 0; k < monitors.Length; k++)
    {
        var rs = results[k];
        var ready = rs.Where(r => r.FirstReady is not null).Select(r => (r.FirstReady!.Value - release).TotalHours).DefaultIfEmpty(double.NaN).Min();
        var falseDays = new Proportion(rs.Sum(r => r.FalseAlarmDays.Count), rs.Sum(r => r.NullDays.Count));
        string detected = "–", median = "–", p90 = "–", last = "–";
        if (scenario.Harmful)
        {
            var delays = rs.Where(r => r.FirstAfterChange is { } f && f - r.ChangeAt <= TimeSpan.FromDays(1))
                .Select(r => (r.FirstAfterChange!.Value - r.ChangeAt).TotalMinutes).Order().ToList();
            detected = new Proportion(delays.Count, runs).ToString();
            median = delays.Count == 0 ? "–" : $"{delays[delays.Count / 2]:0} min";
            p90 = delays.Count == 0 ? "–" : $"{delays[Math.Min(delays.Count - 1, delays.Count * 9 / 10)]:0} min";
            var lasts = rs.Where(r => r.LastAfterChange is not null).Select(r => (r.LastAfterChange!.Value - r.ChangeAt).TotalDays).Order().ToList();
            var stillAlerting = rs.Count(r => r.LastAfterChange is { } l && l >= start.AddDays(days).AddMinutes(-60));
            last = lasts.Count == 0 ? "–" : $"{lasts[lasts.Count / 2]:0.0} d ({stillAlerting} of {runs} still alerting at the end)";
        }

        Console.WriteLine($"| {scenario.Key}: {scenario.Name} | {monitors[k].Name} | {ready:0.#} h | {falseDays} | {detected} | {median} | {p90} | {last} |");
    }
}

Console.WriteLine();
Console.WriteLine($"Elapsed: {clock.Elapsed.TotalSeconds:0} s");
return 0;

T Arg<T>(string name, T fallback)
    where T : IParsable<T>
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? T.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
