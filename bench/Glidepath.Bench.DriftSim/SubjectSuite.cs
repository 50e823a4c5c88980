using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Bench.DriftSim;

/// <summary>
/// The drift monitor on subject-shaped traffic (outside trial drift3, H3): honest users spread over the 64 subject groups
/// as the gateway hashes them, and one caller whose every request fails beside them. Each run simulates the reference
/// (three earlier days' same 10 minutes, pooled) and a recent 10-minute window, checked with the product's
/// <see cref="DriftMonitor"/> after every minute as <c>monitor --check</c> was in the trial. Judged on error_rate only,
/// at the α per metric of the sample manifest's plan (its nine monitored metrics).
/// </summary>
internal static class SubjectSuite
{
    private const int Users = 300;
    private const int PerMinute = 180;
    private const int Minutes = 10;
    private const int ReferenceDays = 3;

    public static SubjectScenario[] Scenarios() =>
    [
        new("aa-flat", "healthy, flat (Zipf 0.5), no errors", 0.5, false),
        new("aa-flat-1", "healthy, flat, 1% errors, 2% of users failing 20% of their requests", 0.5, false, BaseRate: 0.01, ErrorProneShare: 0.02),
        new("aa-heavy-1", "healthy, heavy-tailed (Zipf 1.1), 1% errors, the 3 most active users failing 30%", 1.1, false, BaseRate: 0.01, ErrorProneRate: 0.3, HeaviestErrorProne: 3),
        new("edge-flat", "errors +1.0 point on every honest user (exactly the tolerance), flat, 2% of users failing 20%", 0.5, false, BaseRate: 0.01, Rise: 0.01, ErrorProneShare: 0.02),
        new("edge-heavy", "errors +1.0 point (exactly the tolerance), heavy-tailed, the 3 most active failing 30%", 1.1, false, BaseRate: 0.01, Rise: 0.01, ErrorProneRate: 0.3, HeaviestErrorProne: 3),
        new("one-flat", "healthy, flat, and one new subject failing all of its 9 requests a minute (trial C1a_one)", 0.5, false, CallerPerMinute: 9),
        new("one-heavy", "healthy, heavy-tailed, and one new subject failing all of its 9 requests a minute", 1.1, false, CallerPerMinute: 9),
        new("one-flat-30", "healthy, flat, and one new subject failing all of its 30 requests a minute", 0.5, false, CallerPerMinute: 30),
        new("one-edge", "errors +1.0 point (the tolerance), flat, and one new subject failing all of its 9 requests a minute", 0.5, false, BaseRate: 0.01, Rise: 0.01, CallerPerMinute: 9),
        new("rise-flat", "errors 0% → 3.6% on every honest user, flat (trial C2_err4)", 0.5, true, Rise: 0.036),
        new("rise-heavy", "errors 0% → 3.6% on every honest user, heavy-tailed (trial H_err4)", 1.1, true, Rise: 0.036),
        new("hide-flat", "errors 0% → 3.6%, flat, and one new subject failing all of its 9 requests a minute (trial E1_hide_one)", 0.5, true, Rise: 0.036, CallerPerMinute: 9),
        new("hide-heavy", "errors 0% → 3.6%, heavy-tailed, and one new subject failing all of its 9 requests a minute", 1.1, true, Rise: 0.036, CallerPerMinute: 9),
        new("hide-standing", "errors 0% → 3.6%, flat, and one subject failing all of its 9 requests a minute on every day", 0.5, true, Rise: 0.036, CallerPerMinute: 9, CallerInReference: true),
        // The mirror case (outside trial drift4): the failing caller is in the reference days, not (or not as itself) in the recent window.
        new("gone-flat", "healthy, flat, and one subject that failed all of its 9 requests a minute on the earlier days only", 0.5, false, ReferenceOnlyPerMinute: 9),
        new("gone-heavy", "healthy, heavy-tailed, 1% errors, the 3 most active failing 30%, and one subject failing all of its 9 a minute on the earlier days only", 1.1, false, BaseRate: 0.01, ErrorProneRate: 0.3, HeaviestErrorProne: 3, ReferenceOnlyPerMinute: 9),
        new("gone-edge", "errors +1.0 point (the tolerance), flat, 2% of users failing 20%, and one subject failing all of its 9 a minute on the earlier days only", 0.5, false, BaseRate: 0.01, Rise: 0.01, ErrorProneShare: 0.02, ReferenceOnlyPerMinute: 9),
        new("gone-edge-heavy", "errors +1.0 point (the tolerance), heavy-tailed, the 3 most active failing 30%, and one subject failing all of its 9 a minute on the earlier days only", 1.1, false, BaseRate: 0.01, Rise: 0.01, ErrorProneRate: 0.3, HeaviestErrorProne: 3, ReferenceOnlyPerMinute: 9),
        new("moved-flat", "healthy, flat, and one subject failing all of its 9 requests a minute on every day, under another subject id on the earlier days", 0.5, false, CallerPerMinute: 9, CallerInReference: true, CallerMoves: true),
        new("gone-rise", "errors 0% → 3.6%, flat, and one subject that failed all of its 9 requests a minute on the earlier days only (trial drift4)", 0.5, true, Rise: 0.036, ReferenceOnlyPerMinute: 9),
        new("gone-rise-heavy", "errors 0% → 3.6%, heavy-tailed, and one subject that failed all of its 9 requests a minute on the earlier days only", 1.1, true, Rise: 0.036, ReferenceOnlyPerMinute: 9),
        new("moved-rise", "errors 0% → 3.6%, flat, and one subject failing all of its 9 a minute on every day, under another subject id on the earlier days (trial drift4)", 0.5, true, Rise: 0.036, CallerPerMinute: 9, CallerInReference: true, CallerMoves: true),
    ];

    public static int Report(int runs, ulong seed, string only)
    {
        var policy = Policy();
        Console.WriteLine($"drift-sim --suite subjects: {runs} seeded runs per scenario, seed {seed}; {Users} users at {PerMinute / 60} requests/s, 64 subject groups;");
        Console.WriteLine($"reference: the same {Minutes} minutes on {ReferenceDays} earlier days, pooled; recent: {Minutes} minutes, checked after every minute; error_rate max_increase 0.01 at α per metric {policy.Judge.AlphaPerMetric:0.#####}");
        Console.WriteLine();
        Console.WriteLine("| scenario | alerted within 10 min [95% CI] | alerted by minute 6 | median first alert |");
        Console.WriteLine("|---|---:|---:|---:|");
        var monitor = new DriftMonitor(policy);
        var clock = Stopwatch.StartNew();
        var scenarios = Scenarios();
        for (var si = 0; si < scenarios.Length; si++)
        {
            var s = scenarios[si];
            if (only.Length > 0 && !only.Split(',').Contains(s.Key))
            {
                continue;
            }

            var first = new int[runs];
            Parallel.For(0, runs, run => first[run] = FirstAlert(s, monitor, new Rng((seed * 1_000_003UL) + ((ulong)si * 100_000UL) + (ulong)run)));
            var alerted = first.Where(f => f > 0).Order().ToArray();
            var by6 = alerted.Count(f => f <= 6);
            var median = alerted.Length == 0 ? "–" : $"{alerted[(alerted.Length - 1) / 2]} min";
            Console.WriteLine($"| {s.Key}: {s.Title}{(s.Harmful ? "" : " (any alert is false)")} | {new Proportion(alerted.Length, runs)} | {(double)by6 / runs:P1} | {median} |");
        }

        Console.WriteLine();
        Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>The sample manifest's monitored metrics give α per metric; only error_rate is judged here.</summary>
    private static DriftPolicy Policy()
    {
        var manifest = new Manifest
        {
            App = "drift-sim",
            Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
        };
        var policy = DriftPolicy.From(manifest, TimeSpan.FromMinutes(Minutes));
        return policy with { Judge = policy.Judge with { Rules = [.. policy.Judge.Rules.Where(r => r.Name == "error_rate")] } };
    }

    /// <summary>The first minute (1–10) whose check alerted, or 0.</summary>
    private static int FirstAlert(SubjectScenario s, DriftMonitor monitor, Rng rng)
    {
        var cumulative = new double[Users];
        var group = new int[Users];
        var prone = new bool[Users];
        double total = 0;
        for (var i = 0; i < Users; i++)
        {
            total += Math.Pow(i + 1, -s.ZipfS);
            cumulative[i] = total;
            group[i] = (int)(rng.NextDouble() * SubjectGroups.Count);
            prone[i] = i < s.HeaviestErrorProne || rng.Bernoulli(s.ErrorProneShare);
        }

        var callerGroup = (int)(rng.NextDouble() * SubjectGroups.Count);
        // Another subject id hashes to another group (drawn until it differs, as two ids in one group would be one group).
        var earlierGroup = callerGroup;
        while (s.CallerMoves && earlierGroup == callerGroup)
        {
            earlierGroup = (int)(rng.NextDouble() * SubjectGroups.Count);
        }

        // Drawn only where used, so the earlier scenarios keep their random streams (and their published figures).
        var goneGroup = s.ReferenceOnlyPerMinute > 0 ? (int)(rng.NextDouble() * SubjectGroups.Count) : -1;
        var reference = new (long N, long E)[SubjectGroups.Count];
        for (var day = 0; day < ReferenceDays; day++)
        {
            for (var m = 0; m < Minutes; m++)
            {
                Minute(reference, 0, s.CallerInReference ? s.CallerPerMinute : 0, earlierGroup);
                Caller(reference, s.ReferenceOnlyPerMinute, goneGroup);
            }
        }

        var recent = new (long N, long E)[SubjectGroups.Count];
        var referenceSample = Sample(reference);
        for (var m = 1; m <= Minutes; m++)
        {
            Minute(recent, s.Rise, s.CallerPerMinute, callerGroup);
            if (monitor.HasDrifted(Sample(recent), referenceSample))
            {
                return m;
            }
        }

        return 0;

        void Minute((long N, long E)[] groups, double rise, double caller, int callerAt)
        {
            for (var r = 0; r < PerMinute; r++)
            {
                var i = Array.BinarySearch(cumulative, rng.NextDouble() * total);
                i = Math.Min(i < 0 ? ~i : i, Users - 1);
                var rate = (prone[i] ? s.ErrorProneRate : s.BaseRate) + rise;
                groups[group[i]].N++;
                groups[group[i]].E += rng.Bernoulli(rate) ? 1 : 0;
            }

            var calls = (long)caller + (rng.Bernoulli(caller - Math.Floor(caller)) ? 1 : 0);
            groups[callerAt].N += calls;
            groups[callerAt].E += calls;
        }

        // A minute of one caller whose every request fails.
        void Caller((long N, long E)[] groups, double perMinute, int at)
        {
            if (perMinute <= 0)
            {
                return;
            }

            var calls = (long)perMinute + (rng.Bernoulli(perMinute - Math.Floor(perMinute)) ? 1 : 0);
            groups[at].N += calls;
            groups[at].E += calls;
        }
    }

    private static ArmSample Sample((long N, long E)[] counts)
    {
        var groups = new ArmSample[counts.Length];
        var sample = default(ArmSample);
        for (var g = 0; g < counts.Length; g++)
        {
            groups[g] = new ArmSample { Requests = counts[g].N, Errors = counts[g].E, LatencyCount = counts[g].N - counts[g].E };
            sample = ArmSample.Add(sample, groups[g]);
        }

        return sample with { Groups = groups };
    }
}
