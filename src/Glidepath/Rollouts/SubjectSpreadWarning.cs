using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan whose step a metric cannot decide because its subjects differ: with the spread between the stable release's
/// subjects (<see cref="SubjectSpread"/>) the metric's interval does not get inside its tolerance within max_duration, or
/// at all, where per-request figures say it would (<see cref="PlannedMetric.SubjectBound"/>). Such a step ends undecided
/// with a canary as good as stable, and <c>on_inconclusive</c> applies (trial netfalse M1: 300 sticky users, a client bug
/// in some users' requests on both arms alike; every honest A/A canary held at ±0.021–0.029 against max_increase 0.02
/// and was rolled back by max_hold, while the plan promised 3.5 minutes). Printed by <c>rollout plan</c> and
/// <c>rollout start</c>; not a refusal.
/// </summary>
public static class SubjectSpreadWarning
{
    /// <summary>
    /// The warning for <paramref name="planned"/> (planned with the stable release's subject groups, that of
    /// <paramref name="stableRelease"/> when known), or null when no metric is bound by its subjects.
    /// </summary>
    public static string? For(RolloutPlan plan, IReadOnlyList<PlannedStep> planned, string environment, string? stableRelease = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(environment);
        var rules = JudgePolicy.From(plan).Rules.ToDictionary(r => r.Name);
        var inv = CultureInfo.InvariantCulture;
        var steps = new List<string>();
        foreach (var step in planned)
        {
            var each = step.Metrics.Where(m => m.SubjectBound && rules.ContainsKey(m.Metric)).Select(m =>
            {
                var rule = rules[m.Metric];
                var never = m.CanaryRequests is null;
                var limit = $"within max_duration {RolloutView.Duration(plan.MaxDuration)}";
                var within = !never ? limit : step.CanaryRequestsInTime is null ? "however long the step runs" : $"{limit} (nor however long the step runs)";
                var width = (never ? m.Narrowest : m.NarrowestInTime ?? m.Narrowest) is { } r ? $" (the interval stops near {SubjectSpread.WidthText(rule, r)} with these subjects)" : "";
                var needs = never || step.CanaryRequestsInTime is null
                    ? ""
                    : string.Create(inv, $"; it needs about {m.CanaryRequests:N0} canary requests where per-request figures say {m.CanaryRequestsPerRequest:N0}, and max_duration gives {step.CanaryRequestsInTime:N0}");
                // Which figure it is: with a rate, the tolerance a step meets within max_duration (half of it, so that a step
                // needing twice the median still fits); without one, only the least that decides it at all, however slowly
                // (trial netfalse2 M3: 0.039 with a rate, 0.028 without, for the same traffic; a hold names the latter kind).
                var widen = m.ToleranceNeeded is not { } t
                    ? ""
                    : step.CanaryRequestsInTime is null
                        ? $"{SubjectSpread.WidenText(rule, t).Replace(" to about ", " beyond about ", StringComparison.Ordinal)} (the least that decides it at all, slowly: with --rps the plan names the tolerance a step meets in time), "
                        : $"{SubjectSpread.WidenText(rule, t)} (a step meets it within max_duration, even one needing twice the median; the figure a hold names is the least that decides it at all, smaller and too slow), ";
                // One caller holding nearly all of stable's spread (a client failing or cancelling every request): widening the
                // tolerance past it would let a real harm that large through (trial cancels M4: "widen max_increase to about
                // 0.32" where a real +0.34 rise had been caught), and the hold says the same.
                if (m.OneCallerShare is { } share)
                {
                    return $"{m.Metric} is expected to stay undecided {within}: one subject group holds {MetricEvidence.ShareText(share)} of the stable release's spread of it (one caller, most likely: {Judge.CallerKind(m.Metric)}){width}; a wider tolerance is not the fix, it would let a real harm that large through — find that caller ({Judge.FindCaller(m.Metric, stableRelease ?? "<the stable release>")}) and have it fixed or sent elsewhere before the rollout, or expect {Then(plan)}";
                }

                return $"{m.Metric} is expected to stay undecided {within}: its subjects' {SubjectSpread.Differ(m.Metric)} differ beyond chance{width}{needs}; {widen}{(never ? "" : "lengthen max_duration, ")}or expect {Then(plan)}";
            }).ToList();
            if (each.Count > 0)
            {
                steps.Add(string.Create(inv, $"step {step.Weight:0.##}%: {string.Join("; ", each)}"));
            }
        }

        return steps.Count == 0
            ? null
            : $"warning: the subjects, not the requests, bound some intervals (the stable release's last 24 h on {environment}, per subject group): {string.Join(". ", steps)}. More requests from the same subjects do not narrow them. The figures are about the median step, an honest canary whose estimate sits at stable's: one whose estimate wanders far enough to the favourable side is still decided safe and promoted (in trial netfalse2, 2 of 3 such canaries were, after a hold), the rest end as said (docs/rollouts.md, \"Subjects, not requests\")";
    }

    private static string Then(RolloutPlan plan) => plan.OnInconclusive == "rollback"
        ? "a rollback (on_inconclusive: rollback)"
        : plan.MaxHold is { } h
            ? $"a hold (on_inconclusive: {plan.OnInconclusive}; max_hold {RolloutView.Duration(h)} then rolls it back)"
            : $"a hold (on_inconclusive: {plan.OnInconclusive}, until someone acts)";
}
