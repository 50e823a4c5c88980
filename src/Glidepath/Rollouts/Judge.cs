using System.Globalization;

namespace Glidepath.Rollouts;

/// <summary>
/// Compares canary with stable on every metric of the plan with an always-valid interval for canary − stable,
/// and decides: harm → roll back (at any look), safe on every metric with minimum samples → advance, step time
/// limit → on_inconclusive. Pure: the same samples and elapsed time always give the same decision.
/// </summary>
public sealed class Judge(JudgePolicy policy)
{
    /// <summary>Pseudo-observations of the pooled variance added to each arm's variance, so that a few early
    /// look-alike values cannot make an arm's variance (and the interval) implausibly small.</summary>
    private const double VariancePrior = 10;

    public JudgePolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>The interval and verdict of one metric.</summary>
    public MetricAssessment Assess(MetricRule rule, in ArmSample canary, in ArmSample stable)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var (nc, ns, estimate, variance) = rule.Kind switch
        {
            MetricKind.Proportion => Proportions(rule.Name, canary, stable),
            MetricKind.Mean => Means(canary.OnlineScored, canary.OnlineScoreSum, canary.OnlineScoreSquares, stable.OnlineScored, stable.OnlineScoreSum, stable.OnlineScoreSquares, ratio: false),
            MetricKind.LogMean => Means(canary.Requests, canary.LogLatencySum, canary.LogLatencySquares, stable.Requests, stable.LogLatencySum, stable.LogLatencySquares, ratio: false),
            _ => Means(canary.Requests, canary.CostSum, canary.CostSquares, stable.Requests, stable.CostSum, stable.CostSquares, ratio: true),
        };

        if (nc == 0 && ns == 0 && rule.Name is "online_pass_rate" or "online_score" or "feedback")
        {
            return new MetricAssessment(rule, 0, 0, double.NaN, double.NaN, double.NaN, MetricVerdict.NoData);
        }

        if (nc < JudgePolicy.MinObservations || ns < JudgePolicy.MinObservations || double.IsNaN(estimate) || double.IsNaN(variance))
        {
            return new MetricAssessment(rule, nc, ns, double.NaN, double.NaN, double.NaN, MetricVerdict.NotEnoughData);
        }

        var radius = ConfidenceSequence.Radius(variance, nc, Policy.AlphaPerMetric, Policy.Rho);
        double lower = estimate - radius, upper = estimate + radius;
        var t = rule.Threshold;
        var verdict = rule.HarmIsIncrease
            ? lower > t ? MetricVerdict.Harm : upper < t ? MetricVerdict.Safe : MetricVerdict.Unclear
            : upper < t ? MetricVerdict.Harm : lower > t ? MetricVerdict.Safe : MetricVerdict.Unclear;
        return new MetricAssessment(rule, nc, ns, estimate, lower, upper, verdict);
    }

    /// <summary>The decision alone, without evidence or allocation: for looking after every request.</summary>
    public JudgeOutcome Classify(in ArmSample canary, in ArmSample stable, TimeSpan stepElapsed)
    {
        var allSafe = true;
        var rules = Policy.Rules;
        for (var i = 0; i < rules.Count; i++)
        {
            var verdict = Assess(rules[i], canary, stable).Verdict;
            if (verdict == MetricVerdict.Harm)
            {
                return JudgeOutcome.RollBack;
            }

            allSafe &= verdict is MetricVerdict.Safe or MetricVerdict.NoData;
        }

        return Outcome(allSafe, canary, stable, stepElapsed);
    }

    /// <summary>The decision with its evidence and a reason in plain words.</summary>
    public JudgeDecision Decide(in ArmSample canary, in ArmSample stable, TimeSpan stepElapsed)
    {
        var assessments = new List<MetricAssessment>(Policy.Rules.Count);
        foreach (var rule in Policy.Rules)
        {
            assessments.Add(Assess(rule, canary, stable));
        }

        var harmed = assessments.Where(a => a.Verdict == MetricVerdict.Harm).ToList();
        var allSafe = assessments.All(a => a.Verdict is MetricVerdict.Safe or MetricVerdict.NoData);
        var outcome = harmed.Count > 0 ? JudgeOutcome.RollBack : Outcome(allSafe, canary, stable, stepElapsed);
        var evidence = assessments.Select(a => a.ToEvidence(Policy.AlphaPerMetric)).ToList();
        return new JudgeDecision
        {
            Outcome = outcome,
            Reason = Reason(outcome, harmed, assessments, canary, stable, stepElapsed),
            CanaryRequests = canary.Requests,
            StableRequests = stable.Requests,
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
            return Policy.RollBackWhenInconclusive ? JudgeOutcome.RollBack : JudgeOutcome.Hold;
        }

        return JudgeOutcome.Continue;
    }

    private static (long Nc, long Ns, double Estimate, double Variance) Proportions(string metric, in ArmSample c, in ArmSample s)
    {
        var (nc, xc, ns, xs) = metric switch
        {
            "error_rate" => (c.Requests, c.Errors, s.Requests, s.Errors),
            "online_pass_rate" => (c.OnlineScored, c.OnlinePassed, s.OnlineScored, s.OnlinePassed),
            _ => (c.FeedbackCount, c.FeedbackPositive, s.FeedbackCount, s.FeedbackPositive),
        };

        if (nc <= 0 || ns <= 0)
        {
            return (nc, ns, double.NaN, double.NaN);
        }

        // Half a success and half a failure per arm keep the variance above zero when an arm has seen no errors yet.
        var pc = (xc + 0.5) / (nc + 1.0);
        var ps = (xs + 0.5) / (ns + 1.0);
        var perArm = (pc * (1 - pc) / nc) + (ps * (1 - ps) / ns);

        // An arm whose rate happens to sit near 0 or 1 (no errors yet, every answer passed) shrinks its own variance
        // estimate and with it the interval; the pooled rate, as if both arms were equal, does not. Taking the larger
        // keeps the interval honest under no change and costs nothing when the canary really is worse.
        var pooled = (xc + xs + 1.0) / (nc + ns + 2.0);
        var variance = Math.Max(perArm, pooled * (1 - pooled) * ((1.0 / nc) + (1.0 / ns)));
        return (nc, ns, ((double)xc / nc) - ((double)xs / ns), variance);
    }

    private static (long Nc, long Ns, double Estimate, double Variance) Means(long nc, double sumC, double sqC, long ns, double sumS, double sqS, bool ratio)
    {
        if (nc < 2 || ns < 2)
        {
            return (nc, ns, double.NaN, double.NaN);
        }

        double mc = sumC / nc, ms = sumS / ns;
        var ssc = Math.Max(sqC - (sumC * mc), 0);
        var sss = Math.Max(sqS - (sumS * ms), 0);
        var pooled = (ssc + sss) / (nc + ns - 2);
        var vc = (ssc + (VariancePrior * pooled)) / (nc - 1 + VariancePrior);
        var vs = (sss + (VariancePrior * pooled)) / (ns - 1 + VariancePrior);
        if (!ratio)
        {
            return (nc, ns, mc - ms, (vc / nc) + (vs / ns));
        }

        if (mc <= 0 || ms <= 0)
        {
            return (nc, ns, double.NaN, double.NaN);
        }

        // Delta method: Var(ln m̂) ≈ Var(m̂) / m².
        return (nc, ns, Math.Log(mc / ms), (vc / (nc * mc * mc)) + (vs / (ns * ms * ms)));
    }

    private string Reason(JudgeOutcome outcome, List<MetricAssessment> harmed, List<MetricAssessment> all, in ArmSample canary, in ArmSample stable, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        string Describe(MetricAssessment a) => string.Create(inv, $"{a.Rule.Name} {a.ToEvidence(Policy.AlphaPerMetric).IntervalText()} vs {a.Rule.ToleranceText}");
        var n = string.Create(inv, $"canary {canary.Requests}, stable {stable.Requests} requests");
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

        var open = all.Where(a => a.Verdict == MetricVerdict.Unclear).Select(a => Describe(a) + " straddles it").ToList();
        var lacking = all.Where(a => a.Verdict == MetricVerdict.NotEnoughData).ToList();
        if (lacking.Count > 0)
        {
            open.Insert(0, string.Create(inv, $"{string.Join(", ", lacking.Select(a => $"{a.Rule.Name} ({a.CanaryN}/{a.StableN})"))} below {JudgePolicy.MinObservations} observations per arm (canary/stable)"));
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

        var detail = string.Join("; ", open);
        return outcome switch
        {
            JudgeOutcome.RollBack => string.Create(inv, $"inconclusive after {elapsed:g} (step limit {Policy.MaxDuration:g}), on_inconclusive: rollback — {detail} ({n})"),
            JudgeOutcome.Hold => string.Create(inv, $"inconclusive after {elapsed:g} (step limit {Policy.MaxDuration:g}), on_inconclusive: hold — staying at this step; {detail} ({n})"),
            _ => string.Create(inv, $"collecting: {detail} ({n})"),
        };
    }
}
