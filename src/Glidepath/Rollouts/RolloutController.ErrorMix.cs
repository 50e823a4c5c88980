using System.Text.Json.Nodes;
using Glidepath.Routing;

namespace Glidepath.Rollouts;

/// <summary>Where the errors behind a decision came from (<see cref="ErrorMix"/>), read only when a decision is applied.</summary>
public sealed partial class RolloutController
{
    /// <summary>
    /// The reason of a rollback, with a clause on the canary's errors this step (their kinds and caller keys, the key named
    /// when it holds most of them) when <c>error_rate</c> is among the metrics judged harm; the same figures go to
    /// <paramref name="details"/> as <c>canary_errors</c>.
    /// </summary>
    private Task<string> RollbackReasonAsync(Rollout rollout, JudgeDecision decision, JsonObject details, CancellationToken cancellationToken) =>
        decision.Evidence.Any(e => e.Metric == "error_rate" && e.Verdict == "harm")
            ? WithErrorMixAsync(rollout, decision.Reason, details, cancellationToken)
            : Task.FromResult(decision.Reason);

    /// <summary>
    /// Whether a hold's reason involves <c>error_rate</c>: its estimate lies beyond its tolerance on the harmful side (a
    /// warning hold), judged or before the cap of heavy subjects.
    /// </summary>
    private static bool HoldOnErrorRate(JudgeDecision decision) =>
        decision.Evidence.Any(e => e.Metric == "error_rate" && (e.EstimateBeyondTolerance == true || HoldWarning.BeyondBeforeCap(e)));

    /// <summary>
    /// <paramref name="reason"/> with the clause on the canary's errors this step, and their figures in <paramref name="details"/>;
    /// a failed read says so and changes nothing else.
    /// </summary>
    private async Task<string> WithErrorMixAsync(Rollout rollout, string reason, JsonObject details, CancellationToken cancellationToken)
    {
        try
        {
            var mix = await ErrorMix.ReadAsync(traces, rollout, rollout.ReleaseId, Arm.Canary, cancellationToken).ConfigureAwait(false);
            if (mix.Describe("the canary's") is not { } clause)
            {
                return reason;
            }

            mix.AddTo(details);
            return $"{reason}; {clause}";
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Harm rolls back, and a hold holds, whatever the reason can say: a failed read of where the errors came from changes neither.
            return $"{reason}; the canary's errors this step could not be read ({ex.GetType().Name})";
        }
    }
}
