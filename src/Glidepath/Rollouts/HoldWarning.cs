using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// A hold that hides a likely harm: the step reached its time limit undecided while a metric's estimate lies beyond its
/// tolerance on the harmful side. The judge cannot decide (too few distinct subjects for the spread of their rates), so
/// the canary would stay at its weight; the warning says so plainly and names the command that ends it. The statistics
/// are unchanged: this is not a verdict.
/// </summary>
public static class HoldWarning
{
    /// <summary>
    /// The warning for a decision at the step limit under <c>on_inconclusive: hold</c>, or null; its rollback command is
    /// guarded by <paramref name="revision"/>: the controller passes the revision of the hold's own event, the one a
    /// reader of the environment sees afterwards.
    /// </summary>
    public static string? For(JudgeDecision decision, Rollout rollout, long? revision = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(rollout);
        return decision.Outcome == JudgeOutcome.Hold
            ? Text(decision.Evidence, rollout.Environment, rollout.Weight, decision.CanarySubjects, decision.CanaryEffectiveSubjects, rollout.Plan.MaxHold, revision, rollout.ReleaseId)
            : null;
    }

    /// <summary>
    /// The active rollout's current warning, from the hold decisions the controller stored at this step (not from a live
    /// look), so <c>status</c> and <c>rollout status</c> show the same warning, also without a judge of their own; null
    /// when the rollout has ended, its step has not held with an estimate beyond a tolerance, or the step began again.
    /// Its rollback command is guarded by <paramref name="revision"/>, the environment's revision as the reader saw it.
    /// </summary>
    public static string? Current(Rollout rollout, IReadOnlyList<RolloutDecisionRecord> decisions, long? revision = null)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(decisions);
        if (!rollout.IsActive)
        {
            return null;
        }

        for (var i = decisions.Count - 1; i >= 0; i--)
        {
            var d = decisions[i];
            if (d.StepIndex != rollout.StepIndex || d.Time < rollout.StepStartedAt)
            {
                return null;
            }

            if (d.Kind == RolloutDecisionKinds.Hold && Text(RolloutJson.ReadEvidence(d.EvidenceJson), rollout.Environment, rollout.Weight, null, null, rollout.Plan.MaxHold, revision, rollout.ReleaseId) is { } warning)
            {
                return warning;
            }
        }

        return null;
    }

    /// <summary>
    /// True when some metric's estimate lies beyond its tolerance on the harmful side while undecided, judged or before the
    /// cap of heavy subjects (<see cref="BeyondBeforeCap"/>).
    /// </summary>
    public static bool Warns(IReadOnlyList<MetricEvidence> evidence) => evidence.Any(e => e.EstimateBeyondTolerance == true || BeyondBeforeCap(e));

    /// <summary>
    /// True when an undecided metric's judged estimate lies inside its tolerance but its estimate before the cap of heavy
    /// subjects (per request) lies beyond it on the harmful side: the heaviest subjects fare worse on the canary, and the
    /// cap counts them as few (trial netfalse2 M1). A hold is then a warning too (docs/rollouts.md, "What is judged, exactly").
    /// </summary>
    public static bool BeyondBeforeCap(MetricEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Verdict != "unclear" || e.EstimateBeyondTolerance == true || e.EstimateBeforeCap is not { } before)
        {
            return false;
        }

        // The tolerance says the harmful side: above it for max_increase (> 0) and max_ratio (> 1), below it for max_drop.
        var increase = e.Scale == "ratio" ? e.Tolerance > 1 : e.Tolerance > 0;
        return increase ? before > e.Tolerance : before < e.Tolerance;
    }

    /// <summary>
    /// "warning: error_rate +0.0560 [-0.0080, +0.1030]: the estimate is beyond max_increase 0.01, but the interval cannot
    /// decide with ≥ 57 canary subjects (effective 41.1; it detects changes beyond ±0.0555 now); …", or null. Without
    /// subject counts (a stored decision keeps none) it says "with the canary's subjects so far". With
    /// <paramref name="revision"/> the command it names is <c>glidepath rollback --env E --expect-revision N</c>: a
    /// rollback that ends this canary, refused if the canary ended or changed meanwhile (two people acting on the same
    /// warning must not take the stable back a release; docs/environments.md).
    /// </summary>
    /// <param name="release">The canary's release: a metric beyond its tolerance only before the cap of heavy subjects
    /// (<see cref="BeyondBeforeCap"/>) names the traces of it to look at.</param>
    public static string? Text(IReadOnlyList<MetricEvidence> evidence, string environment, double weight, int? canarySubjects, double? canaryEffectiveSubjects, TimeSpan? maxHold = null, long? revision = null, string? release = null)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var beyond = evidence.Where(e => e.EstimateBeyondTolerance == true).ToList();
        var heavier = evidence.Where(BeyondBeforeCap).ToList();
        if (beyond.Count == 0 && heavier.Count == 0)
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        var subjects = canarySubjects is { } n
            ? string.Create(inv, $"≥ {n} canary subjects (effective {canaryEffectiveSubjects:0.#}; ")
            : "the canary's subjects so far (";
        var each = beyond.Select(e =>
            $"{e.Metric} {e.IntervalText()}: the estimate is beyond {e.ToleranceText}, but the interval cannot decide with {subjects}it detects changes beyond {e.HalfWidthText()} now)")
            .Concat(heavier.Select(e =>
                $"{e.Metric} {e.EstimateText()} {e.BoundsText()}: per request the canary is beyond {e.ToleranceText}, and only the cap of heavy subjects (each subject group weighs at most three median groups) keeps the judged estimate inside: its heaviest subjects fare worse on it "
                + $"(a harm to them, or callers who fare as badly on any release), which the judge counts as few subjects — a wider tolerance or a promotion is not the remedy; look at the heaviest callers' traces (glidepath traces list --env {environment}{(release is null ? "" : $" --release {release}")}) and decide by hand"));
        var until = maxHold is { } h ? $"until someone acts or the hold reaches max_hold {RolloutView.Duration(h)} (then it is rolled back)" : "until someone acts";
        return string.Create(inv,
            $"warning: {string.Join("; ", each)}; the canary stays at {weight:0.##}% {until} — consider: {RollbackCommand(environment, revision)}");
    }

    /// <summary><c>glidepath rollback --env E</c>, guarded by <c>--expect-revision N</c> when the revision is known.</summary>
    public static string RollbackCommand(string environment, long? revision) => revision is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"glidepath rollback --env {environment} --expect-revision {r}")
        : $"glidepath rollback --env {environment}";
}
