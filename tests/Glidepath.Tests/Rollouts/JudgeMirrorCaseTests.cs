using Glidepath.Manifests;
using Glidepath.Rollouts;
using static Glidepath.Tests.Rollouts.JudgeSubjectCapTests;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Outside trial drift4, the mirror case: one caller whose every request fails in <b>stable's</b> seat raised its rate and
/// held nearly all of its variance. Where both seats hold the same subjects (the drift monitor's windows,
/// <see cref="JudgePolicy.SeatsShareSubjects"/>) the harm side is now judged without each seat's dominant harmful subject
/// group (Judge.LeaveOneOut.cs); a canary's arms hold different subjects, so there stable's group is kept (a review's
/// simulation: leaving it out raised false harm beyond α/2 with few sticky subjects) unless it holds more than
/// <see cref="Judge.CanaryStableShare"/> of stable's spread, and then with the harm side's α split (shipped 2026-12-08);
/// a step held beside a caller below that names the caller.
/// The experiment that leaves it out when it holds more than <see cref="Judge.CanaryStableShare"/> of stable's spread
/// (<see cref="JudgePolicy.LeavesOutStableCaller"/>, task mirror2), and the second that splits its harm side's α between
/// the bounds with and without stable's group (<see cref="JudgePolicy.SplitsStableCallerAlpha"/>), are tested here too,
/// on the same arms.
/// Deterministic samples, built request by request into subject groups.
/// </summary>
public sealed class JudgeMirrorCaseTests
{
    private static readonly Judge Judge = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } },
    }));

    /// <summary>The same plan with both seats holding the same subjects, as the drift monitor's windows do.</summary>
    private static readonly Judge Paired = new(Judge.Policy with { SeatsShareSubjects = true });

    private static MetricRule ErrorRate => Judge.Policy.Rules.Single(r => r.Name == "error_rate");

    /// <summary>Stable: 80 requests a group, 1% failing, and one caller in group 7 whose 300 requests all fail.</summary>
    private static ArmSample StableWithFailingCaller => Flood(Honest(requestsPerGroup: 80, errorEvery: 100), group: 7, requests: 300, errors: 300);

    [Fact]
    public void Decide_SeatsOfTheSameSubjects_FailingBeyondTheToleranceBesideOneFailingCallerInTheBaseline_Harm()
    {
        var canary = Honest(requestsPerGroup: 20, errorEvery: 12.5); // 8% of every subject's requests fail

        var decision = Paired.Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        var errors = Assert.Single(decision.Evidence);
        Assert.Equal("harm", errors.Verdict);
        // The estimate shown keeps the caller (stable's rate is raised by it); the harm side is around the estimate without it.
        Assert.True(errors.Estimate < errors.Lower, $"estimate {errors.Estimate}, lower {errors.Lower}");
        Assert.Equal(0.07, errors.HarmSideEstimate!.Value, 3);
        Assert.Null(errors.LeftOutCanaryShare);
        Assert.True(errors.LeftOutStableShare > 0.9, $"share {errors.LeftOutStableShare}");
        Assert.Equal("+0.0342 [+0.0454, +0.1089] (lower bound around +0.0702, without one subject group holding 98% of stable's spread)", errors.IntervalText());
        Assert.Contains("% of stable's spread)", decision.Reason, StringComparison.Ordinal);
        Assert.Equal("+0.0342 (+0.0149 before cap; lower bound around +0.0702 without one subject group)", errors.EstimateText());
        Assert.Contains("\"left_out_stable_share\":0.9", RolloutJson.Evidence([errors]), StringComparison.Ordinal);
        Assert.Contains("\"harm_side_estimate\":0.07", RolloutJson.Evidence([errors]), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_CanaryFailingBeyondTheToleranceBesideOneFailingCallerOnStable_Harm_StableCallerLeftOut()
    {
        // A canary's arms hold different subjects under one group index, so stable's caller was kept (review of the mirror
        // change, H1) and this canary was not decided either way until the step's limit. Since the canary mirror rule
        // (stable's group at more than Judge.CanaryStableShare of its spread, the harm side's α split) it is harm.
        var canary = Honest(requestsPerGroup: 20, errorEvery: 12.5);

        var decision = Judge.Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5));
        var before = new Judge(Judge.Policy with { LeavesOutStableCaller = false, SplitsStableCallerAlpha = false }).Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        var errors = Assert.Single(decision.Evidence);
        Assert.Equal("harm", errors.Verdict);
        Assert.True(errors.LeftOutStableShare > Judge.CanaryStableShare, $"share {errors.LeftOutStableShare}");
        Assert.Equal(JudgeOutcome.Continue, before.Outcome);
        Assert.Equal("unclear", Assert.Single(before.Evidence).Verdict);
    }

    /// <summary>A canary plan at the default error tolerance (+0.01), where a canary failing 4% of requests is harm.</summary>
    private static readonly Judge Canary = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 } },
    }));

    /// <summary>The same plan judged as before the canary mirror rule shipped: stable's group kept on both sides.</summary>
    private static readonly Judge Kept = new(Canary.Policy with { LeavesOutStableCaller = false, SplitsStableCallerAlpha = false });

    /// <summary>The first canary mirror experiment (<see cref="JudgePolicy.LeavesOutStableCaller"/> at the full α).</summary>
    private static readonly Judge Rule = new(Kept.Policy with { LeavesOutStableCaller = true });

    /// <summary>
    /// <see cref="StableWithFailingCaller"/> plus a second subject in group 20 whose <paramref name="failing"/> extra
    /// requests all fail: at 50 the caller's group holds 92% of stable's spread (below <see cref="Judge.CanaryStableShare"/>).
    /// </summary>
    private static ArmSample StableWithSecondCaller(int failing) => Flood(StableWithFailingCaller, group: 20, requests: failing, errors: failing);

    [Fact]
    public void Decide_Experiment_CanaryAt4PercentBesideOneFailingCallerHoldingNearlyAllOfStablesSpread_Harm()
    {
        // Outside trial drift4 on a canary (task mirror2): stable's caller holds 98% of its spread, more than
        // Judge.CanaryStableShare, so the rule judges the harm side without its group; the canary's 4% against stable's
        // other subjects' 1% is harm. As shipped, the caller's variance holds the harm side open: held, not rolled back.
        var canary = Honest(requestsPerGroup: 60, errorEvery: 25);

        var decision = Rule.Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.RollBack, decision.Outcome);
        var errors = Assert.Single(decision.Evidence);
        Assert.Equal("harm", errors.Verdict);
        Assert.Null(errors.LeftOutCanaryShare);
        Assert.Equal(0.984, errors.LeftOutStableShare!.Value, 3);
        Assert.Equal(0.03, errors.HarmSideEstimate!.Value, 3);
        Assert.EndsWith("(lower bound around +0.0298, without one subject group holding 98% of stable's spread)", errors.IntervalText(), StringComparison.Ordinal);
        Assert.Contains("\"left_out_stable_share\":0.984", RolloutJson.Evidence([errors]), StringComparison.Ordinal);
        Assert.Equal(JudgeOutcome.Continue, Kept.Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_Experiment_CanaryAt4PercentBesideOneFailingCallerHolding92PercentOfStablesSpread_StableGroupKept_HeldWithTheCallerNamed()
    {
        // Below Judge.CanaryStableShare stable's group stays on both sides, as shipped: a canary's arms hold different
        // subjects under one group index, and leaving out an ordinary extreme of stable raised false harm (docs/benchmarks.md).
        var canary = Honest(requestsPerGroup: 60, errorEvery: 25);
        var stable = StableWithSecondCaller(failing: 50);

        var decision = Rule.Decide(canary, stable, TimeSpan.FromMinutes(5));

        Assert.Equal(JudgeOutcome.Continue, decision.Outcome);
        var errors = Assert.Single(decision.Evidence);
        Assert.Equal("unclear", errors.Verdict);
        Assert.Null(errors.LeftOutStableShare);
        Assert.Null(errors.HarmSideEstimate);
        var limit = new Judge(Rule.Policy with { MaxDuration = TimeSpan.FromMinutes(4), RollBackWhenInconclusive = false });
        var hold = limit.Decide(canary, stable, TimeSpan.FromMinutes(4));
        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Contains("error_rate has stopped narrowing: one subject group holds 92% of stable's spread (one caller, most likely", hold.Reason, StringComparison.Ordinal);
    }

    /// <summary>The rule as shipped (<see cref="JudgePolicy.SplitsStableCallerAlpha"/>): the harm side's α split; every plan's policy.</summary>
    private static readonly Judge Split = Canary;

    [Theory]
    [InlineData(30, false)] // a canary at 3.3%: harm by the rule at α, not once each bound has α/2
    [InlineData(25, true)]  // a canary at 4%: harm either way
    public void Assess_SplitExperiment_BesideOneFailingCallerOnStable_BoundWithoutTheCallerAtHalfAlpha(double errorEvery, bool harm)
    {
        // Task mirror2, second attempt: when stable's caller holds more than Judge.CanaryStableShare of its spread, the
        // harm side is the more harmful of the shipped bound and the bound without the caller, each at α/2 (Bonferroni).
        // Beside the caller the shipped bound is far below (its variance), so the bound without it decides, a little wider
        // than the rule's at α; the safe side is the shipped one, to the digit.
        var (canary, stable) = (Honest(requestsPerGroup: 40, errorEvery: errorEvery).CapSubjects(), StableWithFailingCaller.CapSubjects());
        var rule = Canary.Policy.Rules.Single();

        var (shipped, atAlpha, split) = (Kept.Assess(rule, canary, stable), Rule.Assess(rule, canary, stable), Split.Assess(rule, canary, stable));

        Assert.Equal(MetricVerdict.Harm, atAlpha.Verdict);
        Assert.Equal(harm ? MetricVerdict.Harm : MetricVerdict.Unclear, split.Verdict);
        Assert.True(shipped.Lower < split.Lower && split.Lower < atAlpha.Lower, $"harm side: shipped {shipped.Lower}, split {split.Lower}, rule at α {atAlpha.Lower}");
        Assert.Equal(atAlpha.HarmSideEstimate, split.HarmSideEstimate);
        Assert.Equal(0.984, split.LeftOutStableShare, 3);
        Assert.Equal(shipped.Upper, split.Upper);
        Assert.Equal(shipped.Estimate, split.Estimate);
    }

    [Fact]
    public void Assess_SplitExperimentAlone_WithoutTheMirrorRule_Shipped()
    {
        // The split is of the rule's α: without LeavesOutStableCaller nothing is left out and nothing is split.
        var (canary, stable) = (Honest(requestsPerGroup: 40, errorEvery: 25).CapSubjects(), StableWithFailingCaller.CapSubjects());
        var rule = Canary.Policy.Rules.Single();
        var alone = new Judge(Kept.Policy with { SplitsStableCallerAlpha = true });

        var (shipped, split) = (Kept.Assess(rule, canary, stable), alone.Assess(rule, canary, stable));

        Assert.Equal((shipped.Lower, shipped.Upper, shipped.Verdict), (split.Lower, split.Upper, split.Verdict));
        Assert.Equal(0, split.LeftOutStableShare);
    }

    [Theory]
    [InlineData(100)] // an equal canary
    [InlineData(25)]  // a canary at 4%, past the tolerance
    public void Assess_Experiment_CanaryBesideOneFailingCallerOnStable_SafeSideAsShipped(double errorEvery)
    {
        // The canary mirror rule moves the harm side only: the safe side keeps stable's caller, to the digit.
        var (canary, stable) = (Honest(requestsPerGroup: 60, errorEvery: errorEvery).CapSubjects(), StableWithFailingCaller.CapSubjects());
        var rule = Canary.Policy.Rules.Single();

        var (after, before) = (Rule.Assess(rule, canary, stable), Kept.Assess(rule, canary, stable));

        Assert.True(after.LeftOutStableShare > Judge.CanaryStableShare, $"share {after.LeftOutStableShare}");
        Assert.Equal(before.Upper, after.Upper);
        Assert.Equal(before.Estimate, after.Estimate);
        Assert.True(after.Lower > before.Lower, $"harm side {before.Lower} → {after.Lower}");
        Assert.NotEqual(MetricVerdict.Safe, after.Verdict);
    }

    [Theory]
    [InlineData(100)]  // an equal canary: 1% as on stable's other subjects
    [InlineData(33.4)] // a canary at the tolerance: about 3% (stable's 1% + max_increase 0.02)
    public void Decide_CanaryNoWorseThanToleranceBesideOneFailingCallerOnStable_NoRollback(double errorEvery)
    {
        var canary = Honest(requestsPerGroup: 20, errorEvery: errorEvery);

        foreach (var judge in new[] { Judge, Paired })
        {
            var decision = judge.Decide(canary, StableWithFailingCaller, TimeSpan.FromMinutes(5));

            Assert.NotEqual(JudgeOutcome.RollBack, decision.Outcome);
            Assert.NotEqual("harm", Assert.Single(decision.Evidence).Verdict);
        }
    }

    [Fact]
    public void Assess_FailingCallerOnStable_SafeSideKeepsIt()
    {
        // An equal canary is not declared safe on the strength of the group left out: the safe side's interval keeps the
        // caller's variance, as before (the harm side alone is judged without it).
        var canary = Honest(requestsPerGroup: 20, errorEvery: 100);
        var capped = (canary.CapSubjects(), StableWithFailingCaller.CapSubjects());

        var assessment = Paired.Assess(ErrorRate, capped.Item1, capped.Item2);

        Assert.True(assessment.Upper - assessment.Estimate > 0.05, $"safe side {assessment.Estimate} → {assessment.Upper}");
        Assert.True(assessment.LeftOutStableShare > 0.9);
        Assert.Equal(0, assessment.LeftOutCanaryShare);
    }

    [Fact]
    public void Assess_NoDominantGroup_NothingLeftOut()
    {
        var assessment = Judge.Assess(ErrorRate, Honest(20, 12.5).CapSubjects(), Honest(80, 100).CapSubjects());

        var evidence = assessment.ToEvidence(Judge.Policy.AlphaPerMetric);
        Assert.True(double.IsNaN(assessment.HarmSideEstimate));
        Assert.Null(evidence.HarmSideEstimate);
        Assert.DoesNotContain("bound around", evidence.IntervalText(), StringComparison.Ordinal);
        Assert.DoesNotContain("left_out", RolloutJson.Evidence([evidence]), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_EqualCanaryHeldBesideOneFailingCallerOnStable_ReasonNamesTheCallerNotAWiderTolerance()
    {
        // Trial mirror M3: the safe side keeps stable's caller, so the step cannot be declared safe; the hold said "widen
        // max_increase", when the cause is one caller on stable.
        var judge = new Judge(Judge.Policy with { MaxDuration = TimeSpan.FromMinutes(4), RollBackWhenInconclusive = false });

        var hold = judge.Decide(Honest(requestsPerGroup: 20, errorEvery: 100), StableWithFailingCaller, TimeSpan.FromMinutes(4));

        Assert.Equal(JudgeOutcome.Hold, hold.Outcome);
        Assert.Contains("error_rate has stopped narrowing: one subject group holds 98% of stable's spread (one caller, most likely", hold.Reason, StringComparison.Ordinal);
        Assert.Contains("a wider tolerance is not the fix — find that caller", hold.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("widen max_increase", hold.Reason, StringComparison.Ordinal);
        Assert.Contains("a client whose requests fail on that arm alone", hold.Reason, StringComparison.Ordinal);
        Assert.Contains("glidepath traces list --release <its release> --failed", hold.Reason, StringComparison.Ordinal);
    }

    // Outside trial cancels (M3): under on_inconclusive: rollback the stored reason of the rollback still told the
    // operator to "decide by hand (glidepath rollout promote advances it…)" of a rollout that had ended.
    [Fact]
    public void Decide_InconclusiveRollBackBesideOneFailingCallerOnStable_ReasonKeepsTheCauseWithoutHandAdvice()
    {
        var judge = new Judge(Judge.Policy with { MaxDuration = TimeSpan.FromMinutes(4), RollBackWhenInconclusive = true });

        var ended = judge.Decide(Honest(requestsPerGroup: 20, errorEvery: 100), StableWithFailingCaller, TimeSpan.FromMinutes(4));

        Assert.Equal(JudgeOutcome.RollBack, ended.Outcome);
        Assert.Contains("find that caller (glidepath traces list --release <its release> --failed, or --key <its key>)", ended.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("decide by hand", ended.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("rollout promote", ended.Reason, StringComparison.Ordinal);
    }

    // Outside trial cancels (M2): one caller cancelling every request on stable held the step, and the hold sent the
    // operator to --failed, which lists no cancelled (499) request.
    [Fact]
    public void StalledReason_CancelRate_NamesACallerThatCancelsAndWhereItsRequestsShow()
    {
        Assert.Equal("a client that closes its requests before the answer", Judge.CallerKind("cancel_rate"));
        Assert.DoesNotContain("--failed", Judge.FindCaller("cancel_rate"), StringComparison.Ordinal);
        Assert.Contains("--cancelled", Judge.FindCaller("cancel_rate"), StringComparison.Ordinal);
        Assert.Contains("--failed", Judge.FindCaller("error_rate"), StringComparison.Ordinal);
    }
}
