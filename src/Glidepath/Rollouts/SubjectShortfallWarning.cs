using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan whose step is too small for the environment's subjects: at the step's weight the smaller arm (the canary below
/// 50%) would count fewer than <c>rollout.step.min_subjects</c> effective subjects even with a whole day of the stable
/// release's traffic (<see cref="SubjectReach"/>), so no metric is ever judged and the step ends inconclusive however
/// good the release (trial newcomer3 M1: 300 users, a 10% step levelled off at 16.5–19.2 effective subjects and held for
/// ever, with no warning). Printed by <c>rollout plan</c> and <c>rollout start</c>; not a refusal.
/// </summary>
public static class SubjectShortfallWarning
{
    /// <summary>A step is warned about when at least this share of the seeded splits leave its smaller arm short.</summary>
    public const double ShortShare = 0.25;

    /// <summary>The next action when an arm has too few effective subjects: shared by the warning and the judge's hold.</summary>
    public const string LowerMinSubjects = "rollout.step.min_subjects in the manifest (at least 2; fewer lets a few users' habits pass for the release's effect)";

    /// <summary>The steps tried, smallest first, for the smallest first step that reaches min_subjects.</summary>
    private static readonly double[] Ladder = [1, 2, 5, 10, 15, 20, 25, 30, 40, 50];

    /// <summary>
    /// The estimate for each step of <paramref name="plan"/> below 100%, for the smaller arm at that weight, from
    /// <paramref name="stable"/> (the stable release's last 24 hours); empty without subject groups or with fewer than
    /// <see cref="SubjectReach.MinRequests"/> requests (nothing to estimate from).
    /// </summary>
    public static IReadOnlyList<(double Weight, SubjectReachEstimate Estimate)> Estimates(RolloutPlan plan, in ArmSample stable)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (stable.Groups is not { Length: > 1 } groups || stable.Requests < SubjectReach.MinRequests)
        {
            return [];
        }

        var sizes = Sizes(groups);
        var result = new List<(double, SubjectReachEstimate)>();
        foreach (var weight in plan.Steps.Where(s => s < 100).Distinct())
        {
            if (SubjectReach.Estimate(sizes, Share(weight), plan.MinSubjects) is { } estimate)
            {
                result.Add((weight, estimate));
            }
        }

        return result;
    }

    /// <summary>
    /// The warning for <paramref name="plan"/> in <paramref name="environment"/> given the stable release's last 24 hours
    /// (<paramref name="stable"/>), or null when every step reaches min_subjects or there is nothing to estimate from.
    /// </summary>
    public static string? For(RolloutPlan plan, in ArmSample stable, string environment)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(environment);
        var estimates = Estimates(plan, stable);
        var shortSteps = estimates.Where(e => e.Estimate.ShareBelow >= ShortShare).ToList();
        if (shortSteps.Count == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var sizes = Sizes(stable.Groups!);
        var each = shortSteps.Select(e => string.Create(inv,
            $"{e.Weight:0.##}% gives the {(e.Weight <= 50 ? "canary" : "stable arm")} about {e.Estimate.Expected:0.#} effective subjects (fewer than {plan.MinSubjects} in {e.Estimate.ShareBelow:0%} of {SubjectReach.Draws} seeded splits of which subjects land on it)"));
        var then = plan.OnInconclusive == "rollback"
            ? "it ends inconclusive and on_inconclusive: rollback rolls back even a release as good as stable"
            : "it ends inconclusive and on_inconclusive: hold keeps it there until someone acts" + (plan.MaxHold is { } h ? $" or max_hold {RolloutView.Duration(h)} rolls it back" : "");
        // A larger first step helps a canary short of subjects; a stable arm short of them (a step above 50%) only a lower min_subjects.
        var largest = shortSteps.Where(s => s.Weight <= 50).Select(s => s.Weight).DefaultIfEmpty(100).Max();
        var reach = Ladder.Where(w => w > largest)
            .Select(w => (Weight: w, Estimate: SubjectReach.Estimate(sizes, Share(w), plan.MinSubjects)))
            .FirstOrDefault(x => x.Estimate is { } e && e.ShareBelow < ShortShare);
        var first = reach.Estimate is not null
            ? string.Create(inv, $"start at a larger step (the smallest that reaches it: {reach.Weight:0.##}%, e.g. --steps {string.Join(',', plan.Steps.Where(s => s > reach.Weight && s < 100).Prepend(reach.Weight).Select(s => s.ToString("0.##", inv)))}) or lower {LowerMinSubjects}")
            : largest < 100
                ? string.Create(inv, $"even a 50% step gives about {SubjectReach.Estimate(sizes, 0.5, plan.MinSubjects)!.Expected:0.#}: lower {LowerMinSubjects}")
                : $"lower {LowerMinSubjects}";
        return string.Create(inv,
            $"warning: effective subjects per step, from the stable release's last 24 h on {environment} (its {stable.Groups!.Length} subject groups count {shortSteps[0].Estimate.DayEffective:0.#} effective subjects over the whole day, after the judge's cap of heavy groups; an arm counts fewer, from its share of the subjects): "
            + $"{(shortSteps.Count == 1 ? "step " : "steps ")}{string.Join(", ", each)}. Short of rollout.step.min_subjects {plan.MinSubjects} a step judges no metric: if these are all the users there are (a release that has served for less than a day may not have seen them all yet), "
            + $"{then}. {char.ToUpperInvariant(first[0])}{first[1..]} (docs/rollouts.md, \"Subjects, not requests\")");
    }

    /// <summary>The smaller arm's share at <paramref name="weight"/> percent: the canary's below 50%, the stable's above.</summary>
    private static double Share(double weight) => Math.Min(weight, 100 - weight) / 100;

    private static long[] Sizes(ArmSample[] groups) => groups.Select(g => g.Requests).ToArray();
}
