using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Compares canary with stable on every metric of the plan with an always-valid interval for canary − stable,
/// and decides: harm → roll back (at any look), safe on every metric with minimum samples → advance, step time
/// limit → on_inconclusive, and under hold max_hold past the limit → roll back (the deadline). Pure: the same samples and elapsed time always give the same decision.
/// </summary>
/// <remarks>
/// Three things keep a verdict honest on real traffic. (1) Sticky subjects: requests of one user are not
/// independent, so each arm's variance is the larger of the per-request one and the cluster-robust one over
/// subject groups, and no metric is judged before each arm's evidence rests on <see cref="JudgePolicy.MinSubjects"/>
/// effective subjects (Kish's effective number of subject groups, so one very active user does not count as many),
/// and no group weighs more than <see cref="ArmSample.SubjectWeightCap"/> × the median group
/// (<see cref="ArmSample.CapSubjects"/>), so one caller flooding an arm under a pinned key cannot move a verdict. (2) Rare events: on the side that declares a proportion safe, the variance is taken at the
/// tolerance boundary (the canary's rate at stable + tolerance), not at the observed rate, which is near zero when
/// errors are rare; and a proportion's safe side is also bounded by the canary's own rate (a rate is never below 0,
/// <see cref="RangeBound"/>), so a stable arm of a few heavy failing users cannot hold a clean canary undecided. (3)
/// Range: a difference of proportions or of [0, 1] scores never leaves [−1, 1].
/// </remarks>
public sealed partial class Judge(JudgePolicy policy)
{
    public JudgePolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>What to do about a step held or ended for too few effective subjects: the same advice as <see cref="SubjectShortfallWarning"/>.</summary>
    public const string FewSubjectsAction = "abort and start again at a larger first step (glidepath rollout plan shows each step's subjects), or lower " + SubjectShortfallWarning.LowerMinSubjects;

    /// <summary>The interval and verdict of one metric.</summary>
    public MetricAssessment Assess(MetricRule rule, in ArmSample canary, in ArmSample stable)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var tail = rule.Kind == MetricKind.TailShare ? TailBucket(stable.LatencyHistogram, rule.Quantile) : -1;
        var (nc, ns) = Counts(rule, canary, stable);
        // Metrics only some traffic carries: none on either arm is nothing to compare (no scorer, no votes, no provider
        // call Glidepath counted: an app's own client), not a reason to hold the step.
        if (nc == 0 && ns == 0 && rule.Name is "online_pass_rate" or "online_score" or "feedback" or "retry_rate")
        {
            return new MetricAssessment(rule, 0, 0, double.NaN, double.NaN, double.NaN, MetricVerdict.NoData);
        }

        // An unpriced model records no cost: there is nothing to compare, and a ratio with 0 is undefined.
        if (rule.Kind == MetricKind.RatioOfMeans && nc >= JudgePolicy.MinObservations && ns >= JudgePolicy.MinObservations && (canary.CostSum <= 0 || stable.CostSum <= 0))
        {
            return new MetricAssessment(rule, nc, ns, double.NaN, double.NaN, double.NaN, MetricVerdict.NoData);
        }

        if (FewObservations(nc, ns) || !EnoughSubjects(rule, canary, stable, tail)
            || (rule.Kind == MetricKind.TailShare && tail < 0))
        {
            return new MetricAssessment(rule, nc, ns, double.NaN, double.NaN, double.NaN, MetricVerdict.NotEnoughData);
        }

        var (estimate, harmVariance, safeVariance, harmDf, safeDf) = Estimates(rule, canary, stable, tail);

        if (double.IsNaN(estimate) || double.IsNaN(harmVariance) || double.IsNaN(safeVariance))
        {
            return new MetricAssessment(rule, nc, ns, double.NaN, double.NaN, double.NaN, MetricVerdict.NotEnoughData);
        }

        // A proportion's safe side also has the canary-alone bound (Judge.Range.cs), so its α is shared with it.
        var proportion = rule.Kind == MetricKind.Proportion;
        // With few subject groups behind a variance, each side's bound is a Student t one (ConfidenceSequence.Radius).
        var harmRadius = ConfidenceSequence.Radius(harmVariance, nc, Policy.AlphaPerMetric, Policy.Rho, Df(harmDf));
        var safeRadius = ConfidenceSequence.Radius(safeVariance, nc, Policy.AlphaPerMetric * (proportion ? 1 - RangeShare : 1), Policy.Rho, Df(safeDf));
        double lower = estimate - (rule.HarmIsIncrease ? harmRadius : safeRadius);
        double upper = estimate + (rule.HarmIsIncrease ? safeRadius : harmRadius);

        // The harm side is judged without the canary's dominant harmful subject group, and the reference's where both seats
        // hold the same subjects, left out of both seats (Judge.LeaveOneOut.cs).
        var harmSide = HarmSideWithoutDominantGroups(rule, canary, stable, tail, estimate);
        if (!double.IsNaN(harmSide.Bound))
        {
            // Without the reference's group the harm side can pass the full estimate; the safe side is never taken past it.
            (lower, upper) = rule.HarmIsIncrease ? (harmSide.Bound, Math.Max(upper, harmSide.Bound)) : (Math.Min(lower, harmSide.Bound), harmSide.Bound);
        }
        if (proportion)
        {
            var range = RangeBound(rule, canary);
            (lower, upper) = rule.HarmIsIncrease ? (lower, Math.Max(Math.Min(upper, range), estimate)) : (Math.Min(Math.Max(lower, range), estimate), upper);

            // A harm side judged without a dominant group can lie past the estimate, and so past the range bound: the
            // interval is never turned inside out; its harm side stands (review of the mirror case, L3).
            (lower, upper) = rule.HarmIsIncrease ? (lower, Math.Max(upper, lower)) : (Math.Min(lower, upper), upper);
        }

        if (!rule.IsRatio)
        {
            lower = Math.Max(lower, -1);
            upper = Math.Min(upper, 1);
        }

        var t = rule.Threshold;
        var verdict = rule.HarmIsIncrease
            ? lower > t ? MetricVerdict.Harm : upper < t ? MetricVerdict.Safe : MetricVerdict.Unclear
            : upper < t ? MetricVerdict.Harm : lower > t ? MetricVerdict.Safe : MetricVerdict.Unclear;
        return new MetricAssessment(rule, nc, ns, estimate, lower, upper, verdict)
        {
            HarmSideEstimate = harmSide.Estimate,
            LeftOutCanaryShare = harmSide.CanaryShare,
            LeftOutStableShare = harmSide.StableShare,
        };
    }

    /// <summary>True when both arms have served min_subjects effective subjects over their requests (for the reason's words), or when a sample keeps no groups.</summary>
    private bool EnoughArmSubjects(in ArmSample canary, in ArmSample stable) =>
        (canary.Groups is null || canary.EffectiveSubjects >= Policy.MinSubjects)
        && (stable.Groups is null || stable.EffectiveSubjects >= Policy.MinSubjects);

    /// <summary>
    /// True when each arm's observations of this metric come from min_subjects effective subjects (at least two, so
    /// that the variance over subject groups exists), or when a sample keeps no groups. Counted over the metric's own
    /// observations, not the arm's requests: feedback from one subject among many who sent requests is one subject's
    /// opinion, however many requests the others sent.
    /// </summary>
    private bool EnoughSubjects(MetricRule rule, in ArmSample canary, in ArmSample stable, int tail)
    {
        var needed = Math.Max(Policy.MinSubjects, 2);
        return (canary.Groups is null || EffectiveSubjects(rule, canary, tail) >= needed)
            && (stable.Groups is null || EffectiveSubjects(rule, stable, tail) >= needed);
    }

    /// <summary>The decision alone, without evidence or allocation: for looking after every request.</summary>
    public JudgeOutcome Classify(in ArmSample canary, in ArmSample stable, TimeSpan stepElapsed)
    {
        var allSafe = true;
        var rules = Policy.Rules;
        var (c, s) = (canary.CapSubjects(), stable.CapSubjects());
        for (var i = 0; i < rules.Count; i++)
        {
            var verdict = Assess(rules[i], c, s).Verdict;
            if (verdict == MetricVerdict.Harm)
            {
                return JudgeOutcome.RollBack;
            }

            allSafe &= verdict is MetricVerdict.Safe or MetricVerdict.NoData;
        }

        return Outcome(allSafe, canary, stable, stepElapsed);
    }

    /// <summary>
    /// <paramref name="assessment"/> (made on the capped samples, <see cref="ArmSample.CapSubjects"/>) as evidence, with each
    /// side's count and the estimate on every observation the arms had before the cap (<paramref name="canary"/> and
    /// <paramref name="stable"/> uncapped): how much the cap removed. The canary's and the drift monitor's evidence alike.
    /// </summary>
    public MetricEvidence EvidenceBeforeCap(MetricAssessment assessment, in ArmSample canary, in ArmSample stable)
    {
        var (nc, ns) = Counts(assessment.Rule, canary, stable);
        var shown = assessment.ToEvidence(Policy.AlphaPerMetric);
        var before = shown.Estimate is null ? (double?)null : Shown(assessment.Rule, PointEstimate(assessment.Rule, canary, stable));
        return shown with { CanaryNBeforeCap = nc, StableNBeforeCap = ns, EstimateBeforeCap = before };
    }

    /// <summary>The decision with its evidence and a reason in plain words.</summary>
    public JudgeDecision Decide(in ArmSample canary, in ArmSample stable, TimeSpan stepElapsed)
    {
        var assessments = new List<MetricAssessment>(Policy.Rules.Count);
        var (c, s) = (canary.CapSubjects(), stable.CapSubjects());
        foreach (var rule in Policy.Rules)
        {
            assessments.Add(Assess(rule, c, s));
        }

        var harmed = assessments.Where(a => a.Verdict == MetricVerdict.Harm).ToList();
        var allSafe = assessments.All(a => a.Verdict is MetricVerdict.Safe or MetricVerdict.NoData);
        var outcome = harmed.Count > 0 ? JudgeOutcome.RollBack : Outcome(allSafe, canary, stable, stepElapsed);
        var stalled = outcome is JudgeOutcome.Hold || (outcome == JudgeOutcome.RollBack && harmed.Count == 0)
            ? Stalled(assessments, c, s, canary, stable, rolledBack: outcome == JudgeOutcome.RollBack) : null;
        var reason = Reason(outcome, harmed, assessments, canary, stable, EnoughArmSubjects(c, s) ? null : (c.EffectiveSubjects, s.EffectiveSubjects), stepElapsed, stalled);
        var evidence = new List<MetricEvidence>(assessments.Count);
        foreach (var a in assessments)
        {
            // The judged n and estimate are after the cap of heavy subjects; the count and the per-request estimate
            // before it show how much the cap removed, and a harm concentrated on the heaviest subjects.
            var shown = EvidenceBeforeCap(a, canary, stable);
            var uncredited = shown.Estimate is null ? 0 : OneArmUncredited(a.Rule, c, s);
            evidence.Add(shown with { OneArmUncredited = uncredited > 0 ? Math.Round(uncredited, 6) : null });
            // Said where error_rate bore on the decision: not on a rollback another metric decided.
            if (uncredited > 0 && (outcome != JudgeOutcome.RollBack || a.Verdict == MetricVerdict.Harm) && OneArmClause(c, s, uncredited, "the canary", "stable") is { } clause)
            {
                reason = $"{reason}; {clause}";
            }
        }

        return new JudgeDecision
        {
            Outcome = outcome,
            Reason = reason,
            CanaryRequests = canary.Requests,
            StableRequests = stable.Requests,
            CanarySubjects = canary.Groups is null ? (canary.Requests == 0 ? 0 : null) : canary.SubjectsAtLeast,
            StableSubjects = stable.Groups is null ? (stable.Requests == 0 ? 0 : null) : stable.SubjectsAtLeast,
            CanaryEffectiveSubjects = c.Groups is null ? (c.Requests == 0 ? 0 : null) : Math.Round(c.EffectiveSubjects, 1),
            StableEffectiveSubjects = s.Groups is null ? (s.Requests == 0 ? 0 : null) : Math.Round(s.EffectiveSubjects, 1),
            StepElapsed = stepElapsed,
            Evidence = evidence,
        };
    }

    private JudgeOutcome Outcome(bool allSafe, in ArmSample canary, in ArmSample stable, TimeSpan stepElapsed)
    {
        if (allSafe && canary.Requests >= Policy.MinRequests && stable.Requests >= Policy.MinRequests)
        {
            return JudgeOutcome.Advance;
        }

        if (stepElapsed >= Policy.MaxDuration)
        {
            // A deadline only ever rolls back: a hold that outlived max_hold is not evidence of safety.
            return Policy.RollBackWhenInconclusive || PastDeadline(stepElapsed) ? JudgeOutcome.RollBack : JudgeOutcome.Hold;
        }

        return JudgeOutcome.Continue;
    }

    /// <summary>True when a step under on_inconclusive: hold has held for max_hold past its time limit.</summary>
    private bool PastDeadline(TimeSpan stepElapsed) => Policy.MaxHold is { } maxHold && stepElapsed >= Policy.MaxDuration + maxHold;

    /// <summary>
    /// A proportion's canary rate on its own, for an unclear verdict: a wide interval may come from stable's spread (a
    /// few heavy failing users there), and the reason should not leave a reader to think the canary failed (trial "traffic").
    /// </summary>
    private static string Alone(MetricRule rule, in ArmSample canary)
    {
        if (rule.Kind != MetricKind.Proportion)
        {
            return "";
        }

        var (x, n) = Unit(rule, canary, -1);
        return n > 0 ? string.Create(CultureInfo.InvariantCulture, $" (the canary alone: {x:0} of {n:0}, {x / n:0.##%})") : "";
    }

    private static string SubjectsText(in ArmSample canary, in ArmSample stable) =>
        canary.Groups is null && stable.Groups is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture, $" from ≥ {canary.SubjectsAtLeast} and ≥ {stable.SubjectsAtLeast} subjects");

    private string Reason(JudgeOutcome outcome, List<MetricAssessment> harmed, List<MetricAssessment> all, in ArmSample canary, in ArmSample stable, (double Canary, double Stable)? fewSubjects, TimeSpan elapsed, string? stalled)
    {
        var inv = CultureInfo.InvariantCulture;
        string Describe(MetricAssessment a) => string.Create(inv, $"{a.Rule.Name} {a.ToEvidence(Policy.AlphaPerMetric).IntervalText()} vs {a.Rule.ToleranceText}");
        var n = string.Create(inv, $"canary {canary.Requests}, stable {stable.Requests} requests") + SubjectsText(canary, stable);
        var confidence = 1 - (Policy.AlphaPerMetric * Policy.Rules.Count);
        switch (outcome)
        {
            case JudgeOutcome.RollBack when harmed.Count > 0:
                return string.Create(inv, $"harm: {string.Join("; ", harmed.Select(Describe))} — the interval lies wholly beyond the tolerance ({n}, {confidence:0.###} confidence)");
            case JudgeOutcome.Advance:
            {
                var unjudged = all.Where(a => a.Verdict == MetricVerdict.NoData).Select(a => a.Rule.Name).ToList();
                var note = unjudged.Count == 0 ? "" : $"; no observations of {string.Join(", ", unjudged)} (not judged)";
                return string.Create(inv, $"safe: every metric's interval lies inside its tolerance and min_requests {Policy.MinRequests} is reached ({n}){note}");
            }
        }

        var c = canary;
        var open = all.Where(a => a.Verdict == MetricVerdict.Unclear).Select(a => Describe(a) + " straddles it" + Alone(a.Rule, c)).ToList();
        var lacking = all.Where(a => a.Verdict == MetricVerdict.NotEnoughData).ToList();
        if (fewSubjects is { } few)
        {
            // Past the step limit the arm's subjects have had their time: say what gets the rollout going (trial newcomer3 M1).
            var next = outcome == JudgeOutcome.Continue ? "" : $" — an arm's subjects level off at its weight, so next: {FewSubjectsAction}";
            open.Insert(0, string.Create(inv, $"fewer than min_subjects {Policy.MinSubjects} effective subjects on an arm (canary {few.Canary:0.#}, stable {few.Stable:0.#}): no metric is judged until each arm's evidence rests on that many equally active subjects{next}"));
            lacking.Clear();
        }
        else if (lacking.Count > 0)
        {
            // Enough observations but too few subjects behind them (a metric only some requests carry): say that.
            var fewObservations = lacking.Where(a => FewObservations(a.CanaryN, a.StableN)).ToList();
            var fewSubjectsOnly = lacking.Except(fewObservations).ToList();
            if (fewSubjectsOnly.Count > 0)
            {
                open.Insert(0, string.Create(inv, $"{string.Join(", ", fewSubjectsOnly.Select(a => $"{a.Rule.Name} ({a.CanaryN}/{a.StableN})"))} from fewer than min_subjects {Policy.MinSubjects} effective subjects on an arm (or no latency histogram for a tail metric): not judged until its observations rest on that many subjects"));
            }

            if (fewObservations.Count > 0)
            {
                open.Insert(0, string.Create(inv, $"{string.Join(", ", fewObservations.Select(a => $"{a.Rule.Name} ({a.CanaryN}/{a.StableN})"))} below {JudgePolicy.MinObservations} observations per arm (canary/stable)"));
            }
        }

        var missing = all.Where(a => a.Verdict == MetricVerdict.NoData).Select(a => a.Rule.Name).ToList();
        if (missing.Count > 0)
        {
            open.Add($"no observations of {string.Join(", ", missing)} on either arm (not judged)");
        }

        if (canary.Requests < Policy.MinRequests || stable.Requests < Policy.MinRequests)
        {
            open.Add(string.Create(inv, $"min_requests {Policy.MinRequests} not reached on both arms"));
        }

        // Past the step's limit: a metric its subjects, not its requests, keep undecided is named with what to change (Judge.Stalled.cs).
        var detail = string.Join("; ", stalled is null ? open : open.Append(stalled));
        var limit = RolloutView.Duration(Policy.MaxDuration);
        var maxHold = Policy.MaxHold is { } h ? $", max_hold {RolloutView.Duration(h)}" : "";
        return outcome switch
        {
            JudgeOutcome.RollBack when !Policy.RollBackWhenInconclusive => string.Create(inv, $"deadline: undecided after {RolloutView.Duration(elapsed)} (step limit {limit}{maxHold}), on_inconclusive: hold — the hold has run out, rolling back; {detail} ({n})"),
            JudgeOutcome.RollBack => string.Create(inv, $"inconclusive after {RolloutView.Duration(elapsed)} (step limit {limit}), on_inconclusive: rollback — {detail} ({n})"),
            JudgeOutcome.Hold => string.Create(inv, $"inconclusive after {RolloutView.Duration(elapsed)} (step limit {limit}{maxHold}), on_inconclusive: hold — staying at this step; {detail} ({n})"),
            _ => string.Create(inv, $"collecting: {detail} ({n})"),
        };
    }
}
