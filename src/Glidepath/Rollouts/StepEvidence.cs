using Glidepath.Storage;

namespace Glidepath.Rollouts;

/// <summary>
/// The judge's view of a rollout's current step, kept as evidence with a decision the judge did not make (an abort, or
/// the end of a rollout whose canary someone else removed). Read best effort: such a decision must not fail because the
/// step's traces cannot be read now (an incident is when it happens); its reason then says the evidence is missing.
/// </summary>
internal static class StepEvidence
{
    /// <summary>The judge's decision on the step at <paramref name="now"/>, or null and <paramref name="reason"/> saying why there is none.</summary>
    public static async Task<(JudgeDecision? Judged, string Reason)> ReadAsync(ITraceStore traces, Rollout rollout, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            var (canary, stable, _, _) = await RolloutArms.StepAsync(traces, rollout, cancellationToken).ConfigureAwait(false);
            return (new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, now - rollout.StepStartedAt), reason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, $"{reason} (the judge's evidence of the step could not be read: {ex.Message})");
        }
    }
}
