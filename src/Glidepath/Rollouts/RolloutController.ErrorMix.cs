using System.Globalization;
using Glidepath.Routing;

namespace Glidepath.Rollouts;

/// <summary>Where the errors behind a decision came from (<see cref="ErrorMix"/>), read only when a decision is applied.</summary>
public sealed partial class RolloutController
{
    /// <summary>
    /// The reason of a rollback, with a clause on the canary's errors this step (their kinds and caller keys) when
    /// <c>error_rate</c> is among the metrics judged harm.
    /// </summary>
    private async Task<string> RollbackReasonAsync(Rollout rollout, JudgeDecision decision, CancellationToken cancellationToken)
    {
        if (!decision.Evidence.Any(e => e.Metric == "error_rate" && e.Verdict == "harm"))
        {
            return decision.Reason;
        }

        try
        {
            var mix = await ErrorMix.ReadAsync(traces, rollout, rollout.ReleaseId, Arm.Canary, cancellationToken).ConfigureAwait(false);
            return mix.Describe("the canary's") is { } clause ? $"{decision.Reason}; {clause}" : decision.Reason;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Harm rolls back whatever the reason can say: a failed read of where the errors came from never holds it.
            return $"{decision.Reason}; the canary's errors this step could not be read ({ex.GetType().Name})";
        }
    }

    /// <summary>
    /// A warning for an advance or promotion judged on <c>error_rate</c> while refusals of the request and timeouts
    /// (<see cref="ErrorMix.CallerCaused"/>) were a larger share of the stable arm's requests than of the canary's by more than
    /// half the tolerance: the canary was compared with a stable they inflate, which a caller sending requests only
    /// stable's provider rejects can do on purpose to hide a canary's errors (and a new model that accepts what the old
    /// one refused does honestly). Null when not so.
    /// </summary>
    private async Task<string?> StableRefusalWarningAsync(Rollout rollout, JudgeDecision decision, ArmSample canary, ArmSample stable, CancellationToken cancellationToken)
    {
        var evidence = decision.Evidence.FirstOrDefault(e => e.Metric == "error_rate");
        if (evidence is null || stable.Errors == 0 || stable.Requests == 0 || canary.Requests == 0)
        {
            return null;
        }

        var stableMix = await ErrorMix.ReadAsync(traces, rollout, rollout.BaselineReleaseId, Arm.Stable, cancellationToken).ConfigureAwait(false);
        if (stableMix.Refusals == 0)
        {
            return null;
        }

        var canaryMix = canary.Errors == 0 ? null : await ErrorMix.ReadAsync(traces, rollout, rollout.ReleaseId, Arm.Canary, cancellationToken).ConfigureAwait(false);
        var stableRate = (double)stableMix.Refusals / stable.Requests;
        var canaryRate = (double)(canaryMix?.Refusals ?? 0) / canary.Requests;
        if (stableRate - canaryRate <= evidence.Tolerance / 2)
        {
            return null;
        }

        var canaryOwn = canaryMix?.Describe("the canary's") ?? "the canary had no error this step";
        return string.Create(CultureInfo.InvariantCulture,
            $"warning: refusals of the request or timeouts were {stableRate:0.####} of stable's requests this step and {canaryRate:0.####} of the canary's, so the canary's error_rate was judged against a stable they inflate ({stableMix.Describe("stable's")}); the canary's own error rate this step: {(double)canary.Errors / canary.Requests:0.####} ({canary.Errors} of {canary.Requests} requests; {canaryOwn}); requests only stable's provider rejects or times out on, sent on purpose, can hide a canary's errors: review this before relying on it (docs/security.md, \"Aiming at one arm\")");
    }
}
