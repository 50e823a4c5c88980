using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan that cannot see callers giving up: <c>rollout.metrics</c> lists its metrics without <c>cancel_rate</c> while a
/// real share of the stable release's requests were closed by their callers before the answer ended (499). Latency and
/// cost are over answered requests, so a canary slow enough that its users abandon it shows in no judged metric but this
/// one (trial sdkapp2: every canary stream abandoned against 47% of stable's). Printed by <c>rollout start</c> and
/// <c>rollout plan</c>; not a refusal: a plan may leave it out on purpose (apps whose users give up often, docs/rollouts.md).
/// </summary>
public static class CancelRateWarning
{
    /// <summary>Above this share of the stable release's requests closed by their callers, leaving the metric out is warned about.</summary>
    public const double CancelShare = 0.01;

    /// <summary>
    /// The warning for <paramref name="plan"/> when it names metrics without cancel_rate and more than
    /// <see cref="CancelShare"/> of the stable release's requests in <paramref name="stable"/> were cancelled by their
    /// callers; null otherwise, for a plan that names none (the defaults judge cancel_rate), and for a profile not observed.
    /// </summary>
    public static string? For(RolloutPlan plan, StableProfile stable, string environment)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stable);
        if (plan.Metrics.Count == 0 || plan.Metrics.ContainsKey("cancel_rate") || !stable.Observed || !(stable.CancelRate > CancelShare))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"warning: callers closed {stable.CancelRate:0.#%} of the stable release's requests on {environment} in the last 24 h before the answer ended, ")
            + "and rollout.metrics does not list cancel_rate: latency and cost are over answered requests, so a canary slow enough that its users give up "
            + "shows in no judged metric. Add cancel_rate: { max_increase: 0.05 } to rollout.metrics (docs/rollouts.md, \"Cancels\")";
    }
}
