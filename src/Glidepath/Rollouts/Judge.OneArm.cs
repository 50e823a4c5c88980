using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Errors a caller's request alone can cause on one arm (<see cref="Traces.TraceRecord.OneArmErrors"/>: refusals of the
/// request, timeouts) in <c>error_rate</c>: the canary is charged in full for more of them than stable, and credited for
/// fewer only within chance.
/// </summary>
/// <remarks>
/// Why: requests that only stable's provider rejects or times out on (sent on purpose by a caller, outside trial
/// attacker2; or one client's long prompts a slower stable times out on, trial "today") inflate stable's error rate, and a
/// canary failing 12% of every other caller's requests was promoted against it. The estimate of canary − stable is
/// <c>Δ_other + max(Δ_one_arm, −k·se)</c>: the difference in other errors, plus the difference in one-arm errors with
/// stable's lead cut to <see cref="OneArmChance"/> (k) of its standard error. k keeps the estimate unbiased where both
/// arms have such errors alike (the cut applies only in the 2.3% tail beyond −2 se, where it moves the estimate by a
/// fraction of one se); a lead beyond chance (the attack) is not credited, so the canary's own errors are judged, and
/// stable's variance is that of its errors without the uncredited part (its cluster variance with that share of each
/// subject group's one-arm errors left out). The cost: a canary that
/// really stops errors the stable's model causes (accepts what it refused) gets no credit for it beyond chance, so it
/// needs its other errors to be within the tolerance on their own.
/// </remarks>
public sealed partial class Judge
{
    /// <summary>Standard errors of stable's lead in one-arm errors over the canary's that are credited as chance.</summary>
    public const double OneArmChance = 2;

    /// <summary>
    /// The part of stable's lead in one-arm errors (as a share of requests) not credited to the canary for
    /// <paramref name="rule"/>: 0 but for <c>error_rate</c> with stable's share of them above the canary's by more than
    /// <see cref="OneArmChance"/> standard errors (per request: one caller's requests in one subject must not widen what is credited).
    /// </summary>
    internal static double OneArmUncredited(MetricRule rule, in ArmSample c, in ArmSample s)
    {
        if (rule.Name != "error_rate" || c.Requests <= 0 || s.Requests <= 0 || s.OneArmErrors <= 0)
        {
            return 0;
        }

        double nc = c.Requests, ns = s.Requests;
        var lead = (s.OneArmErrors / ns) - (c.OneArmErrors / nc);
        if (lead <= 0)
        {
            return 0;
        }

        double pc = (c.OneArmErrors + 0.5) / (nc + 1), ps = (s.OneArmErrors + 0.5) / (ns + 1);
        var se = Math.Sqrt((pc * (1 - pc) / nc) + (ps * (1 - ps) / ns));
        return Math.Max(0, lead - (OneArmChance * se));
    }

    /// <summary>
    /// The clause a decision's reason carries when <c>error_rate</c>'s estimate includes an uncredited lead, e.g.
    /// <c>error_rate: refusals of the request and timeouts were 0.1111 of stable's requests and 0 of the canary's; +0.0901 of stable's lead is beyond chance and not credited to the canary</c>;
    /// null when neither seat had such errors. <paramref name="canary"/> and <paramref name="stable"/> name the seats ("the
    /// canary" and "stable"; the drift monitor's "the recent 1h window" and "the reference"). Without an uncredited lead it
    /// says what was done with them instead: a lead of <paramref name="stable"/>'s within chance is credited, and more on
    /// <paramref name="canary"/>'s side is counted in full, weighed as the subjects it came from (the drift monitor says so
    /// whenever it saw such errors: one caller's refusals raised no alert, and an operator should read why; the rollout
    /// judge only with an uncredited lead).
    /// </summary>
    internal static string? OneArmClause(in ArmSample c, in ArmSample s, double uncredited, string canary, string stable)
    {
        if (c.Requests <= 0 || s.Requests <= 0 || (c.OneArmErrors <= 0 && s.OneArmErrors <= 0))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        double rc = (double)c.OneArmErrors / c.Requests, rs = (double)s.OneArmErrors / s.Requests;
        var done = uncredited > 0
            ? string.Create(inv, $"{MetricEvidence.Signed(uncredited)} of {stable}'s lead is beyond chance and not credited to {canary}, whose own errors are judged")
            : rs > rc
                ? $"{stable}'s lead is within chance and credited to {canary}"
                : $"counted in full against {canary}, weighed as the subjects they came from: one caller's errors from a few subjects are a few units of the interval, however many requests they are";
        return string.Create(inv,
            $"error_rate: refusals of the request and timeouts were {rs:0.####} of {stable}'s requests and {rc:0.####} of {canary}'s; {done} (docs/rollouts.md, \"Errors a caller can cause on one arm\")");
    }
}
