using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// A plan that cannot see a slower first token: the judged metrics (the plan's, or the defaults when it names none) leave
/// <c>first_token_latency</c> out while a real share of the stable release's traffic is streamed. <c>latency</c> is the
/// total time, for a stream its last byte, so a canary whose first token came 4.8× later with about the same total was
/// promoted (trial "steps", defect 1). Printed by <c>rollout start</c> and <c>rollout plan</c>; not a refusal: the metric
/// is not in the default plan, since a plan that lists it holds every step of an app that never streams.
/// </summary>
public static class FirstTokenLatencyWarning
{
    /// <summary>Above this share of the stable release's requests answered as streams, leaving the metric out is warned about.</summary>
    public const double StreamShare = 0.10;

    /// <summary>
    /// The warning for <paramref name="plan"/> when it does not judge first_token_latency and more than
    /// <see cref="StreamShare"/> of the stable release's requests in <paramref name="stable"/> were answered streams; null
    /// otherwise, and for a profile not observed (no stable traffic to tell from).
    /// </summary>
    public static string? For(RolloutPlan plan, StableProfile stable, string environment)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stable);
        var judged = plan.Metrics.Count > 0 ? plan.Metrics : JudgePolicy.DefaultMetrics;
        if (judged.ContainsKey(Judge.FirstTokenLatency) || !stable.Observed || !(stable.FirstTokenShare > StreamShare))
        {
            return null;
        }

        return string.Create(CultureInfo.InvariantCulture, $"warning: {stable.FirstTokenShare:0%} of the stable release's requests on {environment} in the last 24 h were streamed answers, ")
            + "and the rollout judges no first_token_latency: latency is the total time (for a stream, its last byte), so a canary "
            + "whose first token comes several times later with about the same total is promoted. "
            + "Add first_token_latency: { max_ratio: 1.25 } to rollout.metrics (docs/rollouts.md)";
    }
}
