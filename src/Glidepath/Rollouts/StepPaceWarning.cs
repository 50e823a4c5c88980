using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan whose steps cannot finish in time: at the environment's request rate a step needs more time than
/// <c>rollout.step.max_duration</c> to advance a canary as good as stable, so it ends inconclusive, and with
/// <c>on_inconclusive: rollback</c> a good release is rolled back (trial newcomer2 M3: steps 10/50/100, max_duration 5m,
/// a 10% step that needed 32 minutes at 5 requests/s; the good release was rolled back "inconclusive after 5m0s" and the
/// team concluded it was bad). Printed by <c>rollout plan</c> and <c>rollout start</c>; not a refusal.
/// </summary>
public static class StepPaceWarning
{
    /// <summary>
    /// The warning for <paramref name="plan"/> in <paramref name="environment"/> at <paramref name="rps"/> requests a second
    /// (<paramref name="rateSource"/> says where the rate came from), or null when every step fits in <c>max_duration</c>.
    /// Its closing command names the environment and that rate, so it runs as printed (until 2026-12-06 it ended with a
    /// literal <c>--env ENV --rps N</c>: trial dash2 #6).
    /// </summary>
    public static string? For(RolloutPlan plan, IReadOnlyList<PlannedStep> planned, double rps, string rateSource, string environment)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(environment);
        if (!(rps > 0) || !double.IsFinite(rps))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        // A step one of whose metrics its subjects, not its requests, keep undecided is said by SubjectSpreadWarning, with why.
        var slow = planned
            .Where(p => p.TotalRequests is { } t && TimeSpan.FromSeconds(Math.Ceiling(t / rps)) > plan.MaxDuration && !p.Metrics.Any(m => m.SubjectBound))
            .Select(p => string.Create(inv, $"{p.Weight:0.##}% needs about {RolloutView.Duration(TimeSpan.FromSeconds(Math.Ceiling(p.TotalRequests!.Value / rps)))}"))
            .ToList();
        if (slow.Count == 0)
        {
            return null;
        }

        var then = plan.OnInconclusive == "rollback"
            ? "it ends inconclusive and on_inconclusive: rollback rolls back even a release as good as stable"
            : $"it ends inconclusive and on_inconclusive: {plan.OnInconclusive} applies, however good the release";
        var rate = RateText(rps);
        return $"warning: at {rate} requests/s ({rateSource}) "
            + $"{(slow.Count == 1 ? "step " : "steps ")}{string.Join(", ", slow)} to advance a canary as good as stable (the median step), "
            + $"beyond rollout.step.max_duration {RolloutView.Duration(plan.MaxDuration)}: {then}. "
            + $"Raise max_duration, start at a larger step, or see the plan: glidepath rollout plan --env {environment} --rps {rate}";
    }

    /// <summary>A request rate as the warning and <c>rollout plan</c> write it, so that it can be passed back as <c>--rps</c>.</summary>
    public static string RateText(double rps) =>
        // Below 0.001/s "0.###" reads 0, which --rps refuses: such a rate keeps three significant digits.
        rps >= 0.001 ? rps.ToString("0.###", CultureInfo.InvariantCulture) : rps.ToString("0.###E0", CultureInfo.InvariantCulture);
}
