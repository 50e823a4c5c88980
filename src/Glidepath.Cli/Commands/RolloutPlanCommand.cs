using System.CommandLine;
using System.Globalization;
using Glidepath.Errors;
using Glidepath.Monitoring;
using Glidepath.Rollouts;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath rollout plan</c>: how many requests (and how long) each step of the plan needs.</summary>
internal static class RolloutPlanCommand
{
    public static Command Create(CliEnvironment env)
    {
        var environment = EnvironmentCommandSupport.EnvOption();
        var rps = new Option<double?>("--rps") { Description = "Requests per second the environment serves, for how long each step takes (default: the environment's rate over the last hour, both arms, whatever release served them, measured from its traces; none without them)" };
        var steps = new Option<string?>("--steps") { Description = "Canary percentages to plan instead of the manifest's rollout.steps, e.g. 5,25,50" };
        var minRequests = new Option<int?>("--min-requests") { Description = "min_requests to plan with instead of rollout.step.min_requests" };
        var command = new Command("plan", """
            How long will this rollout take? For each step below 100%, the canary requests the judge needs before
            every metric's interval lies inside its tolerance when the canary is as good as stable (computed as the
            judge computes it: same confidence sequence, α per metric and safe-side variance), the total requests at
            that weight, the time at --rps (without it: at the environment's measured rate, said so), which
            metric sets the pace, and the smallest regression the step then catches. Rates come from the stable
            release's last 24 hours of traffic in the environment, or typical figures when it has none (said so).
            With that day's traffic per subject group the variances are the judge's cluster-robust ones, so subjects
            whose rates differ lengthen a step, and a metric they keep undecided however long it runs is said (with
            the tolerance that would decide it); without it, per-request figures (docs/rollouts.md). The subjects
            column is the effective subjects each step's canary would count over that day's users; a step below
            rollout.step.min_subjects is warned about, as it never advances.

            Examples:
              glidepath rollout plan --env production
              glidepath rollout plan --env production --rps 20 --steps 5,25,50
            """)
        {
            environment, rps, steps, minRequests,
        };
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            var store = await ctx.StoreAsync(ct);
            var spec = EnvironmentCommandSupport.Service(ctx, store).Spec(parse.GetValue(environment)!);
            var plan = RolloutService.PlanFrom(ctx.Manifest, RolloutSteps.Parse(parse.GetValue(steps)), parse.GetValue(minRequests), null);
            var sampleRate = ctx.Manifest.Online?.SampleRate ?? 0;
            var state = await store.Environments.GetAsync(ctx.Manifest.App, spec.Name, ct);
            StableProfile? observed = null;
            var stableDay = default(ArmSample);
            if (state.StableReleaseId is { } stableId)
            {
                var stats = await store.Traces.ArmStatsAsync(ctx.Manifest.App, spec.Name, ctx.Time.GetUtcNow() - TimeSpan.FromHours(24), null, ct);
                stableDay = ArmSamples.ForRelease(stats, stableId);
                observed = StableProfile.From(stableDay, sampleRate);
            }

            var perSecond = parse.GetValue(rps);
            if (perSecond is { } r && !(r > 0 && double.IsFinite(r)))
            {
                // Said, not dropped: "--rps -5" planned as if it were not given.
                throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"--rps {r}: expected the requests per second the environment serves, above zero, e.g. 20"));
            }

            // At --rps, or else at the environment's measured rate: a step that cannot finish in max_duration, and the
            // time column (until 2026-12-07 that column stayed empty without --rps while the warning above it measured
            // the rate: newcomer trial L8).
            var rate = perSecond is { } given
                ? StableRate.Given(given)
                : state.StableReleaseId is not null
                    ? await StableRate.MeasureAsync(store.Traces, ctx.Manifest.App, spec.Name, state.StableSince, ctx.Time.GetUtcNow(), ct)
                    : null;
            var profile = observed ?? StableProfile.Assumed(sampleRate);
            var planned = RolloutPlanner.Plan(plan, profile, observed is null ? null : stableDay, rate?.RequestsPerSecond);
            var source = profile.Observed
                ? string.Create(CultureInfo.InvariantCulture, $"the stable release's last 24 h on {spec.Name}: {profile.Requests} requests, {profile.ErrorRate:P2} errors, {profile.RetryRate:P2} of provider calls retried, log-latency σ {Math.Sqrt(profile.LogLatencyVariance):0.##}, {profile.FirstTokenShare:0%} answered streams")
                : $"typical figures (no stable traffic on {spec.Name} in the last 24 h): 1% errors, 1% of provider calls retried, log-latency σ 0.5, cost CV 0.41, online pass rate 90%"
                    + (plan.Metrics.ContainsKey(Judge.FirstTokenLatency) ? ", every request an answered stream with first-token log σ 0.5" : "");
            if (RetryRateWarning.For(ctx.Manifest, plan, ctx.Manifest.Release.Model.Provider, spec.Name) is { } unjudged)
            {
                ctx.Output.Note(unjudged);
            }

            var slow = rate is null ? null : StepPaceWarning.For(plan, planned, rate.RequestsPerSecond, rate.Source, spec.Name);
            if (slow is not null)
            {
                ctx.Output.Note(slow);
            }

            if (SubjectSpreadWarning.For(plan, planned, spec.Name, state.StableReleaseId) is { } spread)
            {
                ctx.Output.Note(spread);
            }

            if (observed is { } measured && FirstTokenLatencyWarning.For(plan, measured, spec.Name) is { } unseen)
            {
                ctx.Output.Note(unseen);
            }

            if (observed is { } cancels && CancelRateWarning.For(plan, cancels, spec.Name) is { } abandoned)
            {
                ctx.Output.Note(abandoned);
            }

            // Per step, the effective subjects the smaller arm would count over the stable release's day of subjects.
            var reach = SubjectShortfallWarning.Estimates(plan, stableDay).ToDictionary(e => e.Weight, e => e.Estimate);
            if (SubjectShortfallWarning.For(plan, stableDay, spec.Name) is { } fewSubjects)
            {
                ctx.Output.Note(fewSubjects);
            }

            if (ctx.Output.IsJson)
            {
                ctx.Output.Json(new
                {
                    environment = spec.Name,
                    profile,
                    confidence = plan.Confidence,
                    min_requests = plan.MinRequests,
                    min_subjects = plan.MinSubjects,
                    rps = rate?.RequestsPerSecond,
                    rps_source = rate?.Source,
                    steps = planned.Select(p => new
                    {
                        weight = p.Weight,
                        canary_requests = p.CanaryRequests,
                        total_requests = p.TotalRequests,
                        seconds = rate is { RequestsPerSecond: var ps } && p.TotalRequests is { } t ? Math.Ceiling(t / ps) : (double?)null,
                        limiting_metric = p.LimitingMetric,
                        effective_subjects = reach.TryGetValue(p.Weight, out var e) ? Math.Round(e.Expected, 1) : (double?)null,
                        effective_subjects_short_share = reach.TryGetValue(p.Weight, out var f) ? f.ShareBelow : (double?)null,
                        metrics = p.Metrics,
                    }),
                });
                return ExitCodes.Ok;
            }

            var inv = CultureInfo.InvariantCulture;
            ctx.Output.Line($"{spec.Name}: rollout plan {string.Join(" → ", plan.Steps)} at {plan.Confidence:0.###} confidence, min_requests {plan.MinRequests}; rates from {source}");
            ctx.Output.Table(
                ["step", "canary requests", "total requests", TimeHeading(rate), "set by", string.Create(inv, $"subjects (min {plan.MinSubjects})"), "catches (by the step's end)"],
                planned.Select(p => (IReadOnlyList<string>)
                [
                    string.Create(inv, $"{p.Weight:0.##}%"),
                    p.CanaryRequests?.ToString("N0", inv) ?? "never",
                    p.TotalRequests?.ToString("N0", inv) ?? "never",
                    rate is { RequestsPerSecond: var ps } && p.TotalRequests is { } t ? RolloutView.Duration(TimeSpan.FromSeconds(Math.Ceiling(t / ps))) : "–",
                    p.LimitingMetric,
                    reach.TryGetValue(p.Weight, out var r) ? string.Create(inv, $"{r.Expected:0.#}{(r.ShareBelow >= SubjectShortfallWarning.ShortShare ? " (short)" : "")}") : "–",
                    string.Join(", ", p.Metrics.Where(m => m.CatchesBeyond is not null).Select(m => Catches(m))),
                ]),
                title: "requests each step needs to advance when the canary is as good as stable (the median step: computed with its estimate exactly at stable's)");
            ctx.Output.Line("  typical, not a bound: about the median step; in seeded A/A simulations 1 step in 5 needs 1.3× as many requests and 1 in 10 1.8× or more (the estimate wanders to the unfavourable side, several metrics must be safe at once); plan for up to 2×");
            ctx.Output.Line(rate is null
                ? "  time: – without --rps or the environment's traffic in the last hour to measure the rate from"
                : rate.Measured
                    ? $"  time: at {StepPaceWarning.RateText(rate.RequestsPerSecond)} requests/s, {rate.Source}; --rps N plans at another rate"
                    : $"  time: at {StepPaceWarning.RateText(rate.RequestsPerSecond)} requests/s (--rps)");
            ctx.Output.Line(stableDay.Groups is { Length: > 1 }
                ? "  variances: the judge's, per subject group, from the stable release's last 24 h: subjects whose rates differ need more requests, and a metric they keep undecided reads never (docs/rollouts.md)"
                : "  per-request figures: with sticky subjects that differ, a step needs more (the judge counts evidence per subject; docs/rollouts.md)");
            ctx.Output.Line(reach.Count > 0
                ? "  subjects: the effective subjects the canary (the stable arm above 50%) would count over the stable release's last 24 h of subjects, a ceiling however long the step runs; below min_subjects no metric is judged"
                : "  subjects: – without the stable release's traffic in the last 24 h to estimate them from");
            if (planned.Any(p => p.CanaryRequests is null && p.Metrics.Any(m => m.CatchesBeyond is not null)))
            {
                ctx.Output.Line(rate is null
                    ? "  catches: a step that is never decided catches by the time its other metrics would be decided (with a rate: by max_duration's end)"
                    : $"  catches: a step that is never decided catches by max_duration's end at {StepPaceWarning.RateText(rate.RequestsPerSecond)} requests/s");
            }

            // Metrics without observations (no scorer, no feedback, no provider calls Glidepath counts): a metric its subjects
            // keep undecided is judged, and has a catches figure (until 2026-12-07 it was listed here: trial netfalse2 M3).
            var never = planned.SelectMany(p => p.Metrics).Where(m => m.CanaryRequests is null && m.CatchesBeyond is null).Select(m => m.Metric).Distinct().ToList();
            if (never.Count > 0)
            {
                ctx.Output.Line($"  not judged (no observations expected): {string.Join(", ", never)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The time column's heading: the rate it is at, and whether it was measured.</summary>
    private static string TimeHeading(StableRate? rate) => rate switch
    {
        null => "time (--rps)",
        { Measured: false } => $"time at {StepPaceWarning.RateText(rate.RequestsPerSecond)} rps",
        _ => $"time at {StepPaceWarning.RateText(rate.RequestsPerSecond)} rps (measured)",
    };

    private static string Catches(PlannedMetric m) => m.ToleranceText.StartsWith("max_ratio", StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"{m.Metric} ≥ ×{m.CatchesBeyond:0.00}")
        : string.Create(CultureInfo.InvariantCulture, $"{m.Metric} {m.CatchesBeyond:+0.###;-0.###}");
}
