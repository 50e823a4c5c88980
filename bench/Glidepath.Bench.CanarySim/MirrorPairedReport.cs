using System.Diagnostics;
using Glidepath.Rollouts;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// The canary mirror rule (<see cref="JudgePolicy.LeavesOutStableCaller"/>: stable's group left out of a canary's harm side
/// when it holds nearly all of stable's spread) against the judge as shipped (stable's group kept), both judging the same
/// traffic of every run, so the difference in rollbacks is paired run by run. With --mirror-split-alpha the rule is
/// <see cref="JudgePolicy.SplitsStableCallerAlpha"/>'s variant: when it fires, harm when the shipped bound or the bound
/// without stable's group says harm, each at α/2.
/// </summary>
internal static class MirrorPairedReport
{
    public static int Report(int runs, ulong seed, int lookEvery, string only, bool splitAlpha = false)
    {
        var policy = JudgePolicy.From(RealTrafficSuite.Plan);
        var kept = policy with { LeavesOutStableCaller = false, SplitsStableCallerAlpha = false };
        var (before, after) = (new Judge(kept), new Judge(kept with { LeavesOutStableCaller = true, SplitsStableCallerAlpha = splitAlpha }));
        var rule = splitAlpha ? "the mirror rule with the harm side's α split between the bounds with and without stable's group (--mirror-split-alpha)" : "the mirror rule";
        Console.WriteLine($"canary-sim --suite real --mirror-paired: {runs} seeded rollouts per scenario, seed {seed}, each judged by stable's group kept (before) and by {rule} (after) on the same traffic; looks every {lookEvery} canary requests or 1%");
        Console.WriteLine($"α per metric {policy.AlphaPerMetric:0.####} (α/2 = {runs * policy.AlphaPerMetric / 2:0} of {runs})");
        Console.WriteLine();
        Console.WriteLine("| scenario | rolled back, kept | rolled back, rule | declared safe, kept | declared safe, rule | runs rolled back by the rule only | by kept only |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var clock = Stopwatch.StartNew();
        var scenarios = RealTrafficSuite.Scenarios();
        for (var i = 0; i < scenarios.Length; i++)
        {
            var s = scenarios[i];
            if (only.Length > 0 && !only.Split(',').Contains(s.Key))
            {
                continue;
            }

            var r = RealTrafficSuite.Run(s, [s.JudgeFor(before), s.JudgeFor(after)], runs, seed, lookEvery, withGroups: true, i);
            var (ruleOnly, keptOnly) = (0, 0);
            for (var run = 0; run < runs; run++)
            {
                var (k, a) = (r[0].Stops[run] >= 0, r[1].Stops[run] >= 0);
                ruleOnly += a && !k ? 1 : 0;
                keptOnly += k && !a ? 1 : 0;
            }

            Console.WriteLine($"| {s.Key}{(s.Harmful ? " (harmful)" : s.AtTolerance ? " (at the tolerance)" : "")} | {r[0].RolledBack} | {r[1].RolledBack} | {r[0].Advanced} | {r[1].Advanced} | {ruleOnly} | {keptOnly} |");
        }

        Console.WriteLine();
        Console.WriteLine($"elapsed {clock.Elapsed.TotalSeconds:0.0} s on {Environment.ProcessorCount} cores");
        return 0;
    }
}
