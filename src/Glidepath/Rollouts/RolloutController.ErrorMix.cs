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
}
