namespace Glidepath.Rollouts;

/// <summary>
/// The judge's view of the current step, recomputed from the store when status is asked for; <see cref="Warning"/> is the
/// warning of the hold the controller stored at this step (<see cref="HoldWarning.Current"/>, the one <c>status</c> shows),
/// not of this look.
/// </summary>
public sealed record JudgeView(
    string Outcome, string Reason, long CanaryRequests, long StableRequests, int? CanarySubjects, int? StableSubjects,
    double? CanaryEffectiveSubjects, double? StableEffectiveSubjects, double StepElapsedSeconds,
    IReadOnlyList<MetricEvidence> Metrics, string? Warning = null)
{
    public static JudgeView From(JudgeDecision d, string? warning = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new JudgeView(
            OutcomeName(d.Outcome), d.Reason, d.CanaryRequests, d.StableRequests, d.CanarySubjects, d.StableSubjects, d.CanaryEffectiveSubjects, d.StableEffectiveSubjects,
            Math.Round(d.StepElapsed.TotalSeconds, 1), d.Evidence, warning);
    }

    /// <summary>advance, rollback, hold or continue.</summary>
    public static string OutcomeName(JudgeOutcome outcome) => outcome switch
    {
        JudgeOutcome.Advance => "advance",
        JudgeOutcome.RollBack => "rollback",
        JudgeOutcome.Hold => "hold",
        _ => "continue",
    };
}
