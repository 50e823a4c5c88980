using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class HoldWarningTests
{
    // The trial's 500-user case: a +5.6-point error rate that the interval could not decide.
    private static MetricEvidence ErrorRate(double estimate, double lower, double upper, string verdict = "unclear") => new()
    {
        Metric = "error_rate", Scale = "difference", CanaryN = 5595, StableN = 16000, Estimate = estimate, Lower = lower, Upper = upper,
        Tolerance = 0.01, ToleranceText = "max_increase 0.01", Verdict = verdict, Alpha = 0.01,
        EstimateBeyondTolerance = verdict == "unclear" && estimate > 0.01 ? true : null,
    };

    [Fact]
    public void HalfWidth_Difference_IsHalfTheIntervalsWidth()
    {
        var e = ErrorRate(0.056, -0.008, 0.103);

        Assert.Equal(0.0555, e.HalfWidth!.Value, 6);
        Assert.Equal("±0.0555", e.HalfWidthText());
    }

    [Fact]
    public void HalfWidth_Ratio_IsTheFactorFromTheMiddleToEitherBound()
    {
        var e = ErrorRate(1.02, 0.9, 1.1) with { Metric = "latency", Scale = "ratio", ToleranceText = "max_ratio 1.25" };

        Assert.Equal(Math.Sqrt(1.1 / 0.9), e.HalfWidth!.Value, 6);
        Assert.Equal("×/÷1.106", e.HalfWidthText());
    }

    [Fact]
    public void Text_EstimateBeyondToleranceUndecided_SaysSoWithTheSubjectsTheWidthAndTheCommand()
    {
        var text = HoldWarning.Text([ErrorRate(0.056, -0.008, 0.103)], "production", 25, 57, 41.1);

        Assert.Equal(
            "warning: error_rate +0.0560 [-0.0080, +0.1030]: the estimate is beyond max_increase 0.01, but the interval cannot decide with ≥ 57 canary subjects "
            + "(effective 41.1; it detects changes beyond ±0.0555 now); the canary stays at 25% until someone acts — consider: glidepath rollback --env production",
            text);
    }

    [Fact]
    public void Text_EstimateInsideTolerance_NoWarning() =>
        Assert.Null(HoldWarning.Text([ErrorRate(0.004, -0.02, 0.03)], "production", 25, 57, 41.1));

    [Fact]
    public void ToEvidence_UnclearWithEstimatePastAMaxDrop_MarksItBeyondTheTolerance()
    {
        var rule = MetricRule.From("online_score", new Glidepath.Manifests.MetricTolerance { MaxDrop = 0.03 });

        var beyond = new MetricAssessment(rule, 100, 1000, -0.05, -0.12, 0.02, MetricVerdict.Unclear).ToEvidence(0.01);
        var inside = new MetricAssessment(rule, 100, 1000, -0.01, -0.08, 0.06, MetricVerdict.Unclear).ToEvidence(0.01);

        Assert.True(beyond.EstimateBeyondTolerance);
        Assert.Null(inside.EstimateBeyondTolerance);
    }

    [Theory]
    [InlineData("rollback", "harm", "rollback", "harm")]
    [InlineData("rollback", "harm", "hold", "harm")]
    [InlineData("rollback", "unclear", "rollback", "inconclusive")]
    [InlineData("rollback", "unclear", "hold", "deadline")]
    [InlineData("abort", "safe", "hold", "manual")]
    [InlineData("ended_externally", "unclear", "hold", "external")]
    [InlineData("hold", "unclear", "hold", null)]
    [InlineData("advance", "safe", "hold", null)]
    public void CauseOf_Decision_NamesWhyTheRolloutEnded(string kind, string verdict, string onInconclusive, string? cause) =>
        Assert.Equal(cause, RolloutCauses.Of(kind, [ErrorRate(0.02, 0.011, 0.03, verdict)], new Glidepath.Manifests.RolloutPlan { OnInconclusive = onInconclusive, MaxHold = TimeSpan.FromMinutes(30) }));

    [Fact]
    public void Text_WithMaxHold_SaysTheHoldEndsInARollback()
    {
        var text = HoldWarning.Text([ErrorRate(0.056, -0.008, 0.103)], "production", 25, null, null, TimeSpan.FromMinutes(30));

        Assert.Contains("cannot decide with the canary's subjects so far (it detects changes beyond ±0.0555 now)", text, StringComparison.Ordinal);
        Assert.Contains("the canary stays at 25% until someone acts or the hold reaches max_hold 30m0s (then it is rolled back) — consider:", text, StringComparison.Ordinal);
    }

    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static Rollout Held(DateTimeOffset stepStartedAt, string state = RolloutState.Progressing) => new()
    {
        Id = "ro-1", App = "app", Environment = "production", ReleaseId = "v2", BaselineReleaseId = "v1", Plan = new Glidepath.Manifests.RolloutPlan { Steps = [25, 50, 100] },
        State = state, StepIndex = 0, StepStartedAt = stepStartedAt, Seed = "ro-1", StartedAt = T0, StartedBy = "ana",
    };

    private static RolloutDecisionRecord Decision(string kind, DateTimeOffset time, params MetricEvidence[] evidence) => new()
    {
        RolloutId = "ro-1", Kind = kind, StepIndex = 0, Weight = 25, Actor = "controller", Reason = kind, Time = time,
        EvidenceJson = evidence.Length == 0 ? null : RolloutJson.Evidence(evidence),
    };

    [Fact]
    public void Current_StoredWarningHoldAtThisStep_IsItsWarningAlsoAfterLaterNotes()
    {
        var decisions = new[]
        {
            Decision(RolloutDecisionKinds.Start, T0),
            Decision(RolloutDecisionKinds.Hold, T0.AddMinutes(31), ErrorRate(0.004, -0.02, 0.03)),
            Decision(RolloutDecisionKinds.Hold, T0.AddMinutes(40), ErrorRate(0.056, -0.008, 0.103)),
            Decision(RolloutDecisionKinds.Frozen, T0.AddMinutes(41)),
        };

        var warning = HoldWarning.Current(Held(T0), decisions);

        Assert.Equal(HoldWarning.Text([ErrorRate(0.056, -0.008, 0.103)], "production", 25, null, null), warning);
    }

    [Fact]
    public void Current_HoldWithoutAWarningOrBeforeTheStepBeganAgainOrRolloutEnded_None()
    {
        var warned = new[] { Decision(RolloutDecisionKinds.Start, T0), Decision(RolloutDecisionKinds.Hold, T0.AddMinutes(40), ErrorRate(0.056, -0.008, 0.103)) };

        Assert.Null(HoldWarning.Current(Held(T0), [Decision(RolloutDecisionKinds.Hold, T0.AddMinutes(31), ErrorRate(0.004, -0.02, 0.03))]));
        Assert.Null(HoldWarning.Current(Held(T0.AddMinutes(45)), [.. warned, Decision(RolloutDecisionKinds.Resume, T0.AddMinutes(45))]));
        Assert.Null(HoldWarning.Current(Held(T0, RolloutState.Aborted), warned));
    }
    // Trial netfalse2 M1: a canary worse only for the heaviest users; judged +0.0068 inside max_increase 0.03, +0.0426 per request.
    private static MetricEvidence HeavierOnly(double beforeCap) => ErrorRate(0.0068, -0.0227, 0.0426) with
    {
        Metric = "retry_rate", Tolerance = 0.03, ToleranceText = "max_increase 0.03", EstimateBeyondTolerance = null, EstimateBeforeCap = beforeCap,
    };

    [Fact]
    public void Text_BeyondTheToleranceOnlyBeforeTheCap_WarnsWithoutAdvisingAWiderToleranceAndNamesTheTraces()
    {
        var text = HoldWarning.Text([HeavierOnly(0.0426)], "production", 50, null, null, TimeSpan.FromMinutes(1), 17, "v9");

        Assert.True(HoldWarning.Warns([HeavierOnly(0.0426)]));
        Assert.StartsWith(
            "warning: retry_rate +0.0068 (+0.0426 before cap) [-0.0227, +0.0426]: per request the canary is beyond max_increase 0.03, and only the cap of heavy subjects "
            + "(each subject group weighs at most three median groups) keeps the judged estimate inside: its heaviest subjects fare worse on it (a harm to them, or callers who fare as badly on any release)",
            text, StringComparison.Ordinal);
        Assert.Contains("a wider tolerance or a promotion is not the remedy; look at the heaviest callers' traces (glidepath traces list --env production --release v9) and decide by hand", text, StringComparison.Ordinal);
        Assert.EndsWith("— consider: glidepath rollback --env production --expect-revision 17", text, StringComparison.Ordinal);
        Assert.DoesNotContain("widen", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.029)] // per request inside the tolerance
    [InlineData(-0.05)] // per request better
    public void Text_BeforeTheCapInsideOrOnTheSafeSide_NoWarning(double beforeCap)
    {
        Assert.False(HoldWarning.Warns([HeavierOnly(beforeCap)]));
        Assert.Null(HoldWarning.Text([HeavierOnly(beforeCap)], "production", 50, null, null));
    }

    [Fact]
    public void BeyondBeforeCap_MaxDropAndMaxRatio_ReadTheHarmfulSideFromTheTolerance()
    {
        var score = ErrorRate(-0.01, -0.08, 0.06) with { Metric = "online_score", Tolerance = -0.03, ToleranceText = "max_drop 0.03" };
        var latency = ErrorRate(1.1, 0.9, 1.3) with { Metric = "latency", Scale = "ratio", Tolerance = 1.25, ToleranceText = "max_ratio 1.25", EstimateBeyondTolerance = null };

        Assert.True(HoldWarning.BeyondBeforeCap(score with { EstimateBeforeCap = -0.05 }));
        Assert.False(HoldWarning.BeyondBeforeCap(score with { EstimateBeforeCap = 0.05 }));
        Assert.True(HoldWarning.BeyondBeforeCap(latency with { EstimateBeforeCap = 1.3 }));
        Assert.False(HoldWarning.BeyondBeforeCap(latency with { EstimateBeforeCap = 1.2 }));
        Assert.False(HoldWarning.BeyondBeforeCap(latency with { EstimateBeforeCap = 1.3, Verdict = "safe" }));
    }
}
