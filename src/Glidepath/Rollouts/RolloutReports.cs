using Glidepath.Environments;

namespace Glidepath.Rollouts;

/// <summary>
/// The JSON answers of the rollout commands (<c>start</c>, <c>status</c>, and the changes pause, resume, abort,
/// promote), shared by the CLI's <c>--format json</c> and the admin API.
/// </summary>
public static class RolloutReports
{
    /// <summary>
    /// <c>rollout start</c>: <c>{rollout, note, judged_by}</c>; <c>judged_by</c> is the holder of the environment's controller
    /// lease when one held it at the start, else null (and <c>note</c> warns of it).
    /// </summary>
    public static object Started(Rollout rollout, EnvironmentViews names, string? note, string? judgedBy = null) =>
        new { rollout = RolloutView.From(rollout, names), note, judged_by = judgedBy };

    /// <summary>
    /// A change to a rollout: <c>{changed, rollout, decision}</c>, the decision it recorded; <c>changed</c> false and
    /// <c>decision</c> null when it already was as asked (a pause of a paused rollout).
    /// </summary>
    public static object Changed(Rollout rollout, RolloutDecisionRecord? decision, EnvironmentViews names) =>
        new { changed = decision is not null, rollout = RolloutView.From(rollout, names), decision = decision is null ? null : DecisionView.From(decision, rollout.Plan) };

    /// <summary>
    /// <c>rollout status</c> of an environment that has had no rollout: there is nothing to show, the environment named
    /// holds none (bad input, exit 2 and HTTP 400, as a run id no run has), not a refusal by policy (exit 4 and 409 until
    /// 2026-12-07: newcomer trial L7).
    /// </summary>
    public static Errors.BadInputException NoRollout(string environment) =>
        new($"environment '{environment}' has had no rollout; start one with: glidepath rollout start REF --env {environment}");

    /// <summary>
    /// <c>rollout status</c>: <c>{rollout, judge, controller, last_decision, decisions}</c>; <c>controller</c> is
    /// <c>{holder, lease_expires_at, judging, lease_expired_for_ms}</c> while the rollout is active.
    /// </summary>
    public static object Status(RolloutStatus status, EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(status);
        var (rollout, decisions, live, lease, now) = (status.Rollout, status.Decisions, status.Live, status.Lease, status.Now);
        return new
        {
            rollout = RolloutView.From(rollout, names, status.Frozen),
            judge = live is null ? null : JudgeView.From(live, status.Warning),
            controller = rollout.IsActive
                ? new
                {
                    holder = lease?.Holder,
                    lease_expires_at = lease?.ExpiresAt,
                    judging = lease?.IsHeldAt(now) == true,

                    // A lease left to expire (its holder died, or lost the store): since when, by the clock that read it.
                    lease_expired_for_ms = lease is { } l && !l.IsHeldAt(now) ? Math.Round((now - l.ExpiresAt).TotalMilliseconds) : (double?)null,
                }
                : null,
            last_decision = decisions.Count == 0 ? null : DecisionView.From(decisions[^1], rollout.Plan),
            decisions = decisions.Select(d => DecisionView.From(d, rollout.Plan)),
        };
    }
}
