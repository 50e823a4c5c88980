using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// Issue 13 item 9: one caller pinning a sticky key and flooding an arm must not move a verdict. Both attacks the
/// report replayed, on samples built request by request into subject groups (deterministic, no randomness).
/// </summary>
public sealed class JudgeSubjectCapTests
{
    // min_subjects 1: the cap alone must hold (with the default 20, Kish's effective subjects also stall the flood).
    private static readonly Judge Judge = new(JudgePolicy.From(new RolloutPlan
    {
        MinRequests = 200,
        MinSubjects = 1,
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } },
    }));

    private static readonly Judge DefaultSubjects = new(Judge.Policy with { MinSubjects = 20 });

    private static MetricRule ErrorRate => Judge.Policy.Rules.Single(r => r.Name == "error_rate");

    [Fact]
    public void Decide_FloodOfFailingRequestsPinnedToAHealthyCanary_DoesNotRollBack()
    {
        var canary = Honest(requestsPerGroup: 8, errorEvery: 100);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);
        var attacked = Flood(canary, group: 3, requests: 360, errors: 360);

        var before = Judge.Decide(canary, stable, TimeSpan.FromMinutes(5));
        var after = Judge.Decide(attacked, stable, TimeSpan.FromMinutes(5));

        Assert.NotEqual(JudgeOutcome.RollBack, after.Outcome);
        Assert.Equal(before.Outcome, after.Outcome);
        Assert.Equal(before.Outcome, DefaultSubjects.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_HeavyGroupCapped_EvidenceShowsTheJudgedNAndTheCountBeforeTheCap()
    {
        var canary = Flood(Honest(requestsPerGroup: 8, errorEvery: 100), group: 3, requests: 360, errors: 0);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);

        var errors = Assert.Single(Judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Evidence);

        // 64 groups of 8, one with 360 more: that group is scaled to 3 medians (24), so 63 × 8 + 24 = 528 of 872 are judged.
        Assert.Equal((528L, 872L), (errors.CanaryN, errors.CanaryNBeforeCap));
        Assert.Equal((5120L, 5120L), (errors.StableN, errors.StableNBeforeCap));
        Assert.Equal("528 (872 before cap)", MetricEvidence.CountText(errors.CanaryN, errors.CanaryNBeforeCap));
        Assert.Equal("5120", MetricEvidence.CountText(errors.StableN, errors.StableNBeforeCap));
        Assert.Contains("\"canary_n_before_cap\":872", RolloutJson.Evidence([errors]), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HarmOnlyOnTheHeaviestSubject_EvidenceShowsThePerRequestEstimateBesideTheCappedOne()
    {
        // One canary subject sends 368 of 872 requests and 10% of them fail; the others fail about 1%, as on stable.
        var canary = Flood(Honest(requestsPerGroup: 8, errorEvery: 100), group: 3, requests: 360, errors: 36);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);

        var errors = Assert.Single(Judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Evidence);

        var perRequest = ((double)canary.Errors / canary.Requests) - ((double)stable.Errors / stable.Requests);
        Assert.Equal(perRequest, errors.EstimateBeforeCap!.Value, 12);
        Assert.True(errors.Estimate < perRequest - 0.02, $"capped {errors.Estimate} vs per request {perRequest}");
        Assert.Equal($"{MetricEvidence.Signed(errors.Estimate!.Value)} ({MetricEvidence.Signed(perRequest)} before cap)", errors.EstimateText());
        Assert.Contains("\"estimate_before_cap\":", RolloutJson.Evidence([errors]), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoGroupOverTheCap_EstimateTextIsTheEstimateAlone()
    {
        var canary = Honest(requestsPerGroup: 8, errorEvery: 100);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);

        var errors = Assert.Single(Judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Evidence);

        Assert.Equal(errors.Estimate!.Value, errors.EstimateBeforeCap!.Value, 12);
        Assert.Equal(MetricEvidence.Signed(errors.Estimate.Value), errors.EstimateText());
    }

    [Fact]
    public void Decide_RealHarmBesideOneCanarySubjectWhoseRequestsAllFail_RollsBack()
    {
        // Outside trial drift3 H3 on a canary: 10% of every honest subject's requests fail against stable's 1%, and one
        // canary subject's own requests all fail. Capped at three median groups, its group still held nearly all of the
        // canary's variance and hid the harm; the harm side is judged without it (Judge.LeaveOneOut.cs).
        var canary = Honest(requestsPerGroup: 20, errorEvery: 10);
        var stable = Honest(requestsPerGroup: 80, errorEvery: 100);
        var attacked = Flood(canary, group: 3, requests: 300, errors: 300);

        var assessment = Judge.Assess(ErrorRate, attacked.CapSubjects(), stable.CapSubjects());

        Assert.Equal(JudgeOutcome.RollBack, Judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Outcome);
        Assert.Equal(MetricVerdict.Harm, assessment.Verdict);
        Assert.Equal(JudgeOutcome.RollBack, Judge.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
        Assert.Equal(JudgeOutcome.RollBack, DefaultSubjects.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_FloodOfFailingRequestsPinnedToStable_StillRollsBackAFailingCanary()
    {
        var canary = Honest(requestsPerGroup: 20, errorEvery: 3.45);  // about 29% of requests fail
        var stable = Honest(requestsPerGroup: 40, errorEvery: 100);
        var attacked = Flood(stable, group: 7, requests: 3000, errors: 3000);

        var before = Judge.Decide(canary, stable, TimeSpan.FromMinutes(5));
        var after = Judge.Decide(canary, attacked, TimeSpan.FromMinutes(5));

        // Without the cap the flood hid the harm: the uncapped interval straddled the tolerance and the step waited. Since
        // the canary mirror rule the flood's group (nearly all of stable's spread) is left out of the harm side: harm.
        var kept = new Judge(Judge.Policy with { LeavesOutStableCaller = false, SplitsStableCallerAlpha = false });
        Assert.Equal(MetricVerdict.Unclear, kept.Assess(ErrorRate, canary, attacked).Verdict);
        var uncapped = Judge.Assess(ErrorRate, canary, attacked);
        Assert.Equal(MetricVerdict.Harm, uncapped.Verdict);
        Assert.True(uncapped.LeftOutStableShare > Judge.CanaryStableShare, $"share {uncapped.LeftOutStableShare}");
        Assert.Equal(JudgeOutcome.RollBack, before.Outcome);
        Assert.Equal(JudgeOutcome.RollBack, after.Outcome);
        Assert.Equal(JudgeOutcome.RollBack, DefaultSubjects.Decide(canary, attacked, TimeSpan.FromMinutes(5)).Outcome);
    }

    [Fact]
    public void Decide_FloodOfNegativeVotesOnOneCanaryTrace_DoesNotRollBack()
    {
        // The attack a trial replayed on a live gateway: 70 honest votes per arm, then one canary request and 2,000
        // votes of -1 on its trace. At most one vote per request counts in a subject group.
        var judge = new Judge(JudgePolicy.From(new RolloutPlan
        {
            MinRequests = 10,
            MinSubjects = 1,
            Metrics = new Dictionary<string, MetricTolerance> { ["feedback"] = new() { MaxDrop = 0.05 } },
        }));
        var canary = Voted(Honest(requestsPerGroup: 2, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var stable = Voted(Honest(requestsPerGroup: 2, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var groups = (ArmSample[])canary.Groups!.Clone();
        groups[5] = ArmSample.Add(groups[5], new ArmSample { Requests = 1, FeedbackCount = 2000, FeedbackPositive = 0 });
        var attacked = Total(groups);

        var capped = attacked.CapSubjects();
        Assert.Equal(groups[5].Requests, capped.Groups![5].FeedbackCount);
        Assert.True(capped.FeedbackCount <= capped.Requests);
        Assert.NotEqual(JudgeOutcome.RollBack, judge.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
        Assert.Equal(judge.Decide(canary, stable, TimeSpan.FromMinutes(5)).Outcome, judge.Decide(attacked, stable, TimeSpan.FromMinutes(5)).Outcome);
    }

    // An independent review's case: the canary's requests come from 36.75 effective subjects (39 groups of 10 requests,
    // one of 30: under the cap), but every canary vote comes from that one subject. Judged on the arm's requests, its
    // 25 thumbs-down rolled the canary back; the feedback metric's own observations rest on one subject: not enough data.
    [Fact]
    public void Assess_EveryCanaryVoteFromOneSubject_NotEnoughData_NoRollBack()
    {
        var judge = new Judge(JudgePolicy.From(new RolloutPlan
        {
            MinRequests = 200,
            MinSubjects = 20,
            Metrics = new Dictionary<string, MetricTolerance> { ["feedback"] = new() { MaxDrop = 0.05 } },
        }));
        var feedback = judge.Policy.Rules.Single(r => r.Name == "feedback");
        var canaryGroups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < 40; g++)
        {
            for (var i = 0; i < (g == 39 ? 30 : 10); i++)
            {
                canaryGroups[g] = Add(canaryGroups[g], fails: false, latencyMs: 400);
            }
        }

        canaryGroups[39] = canaryGroups[39] with { FeedbackCount = 25, FeedbackPositive = 0 };
        var stableGroups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < 60; g++)
        {
            for (var i = 0; i < 200; i++)
            {
                stableGroups[g] = Add(stableGroups[g], fails: false, latencyMs: 400);
            }

            stableGroups[g] = stableGroups[g] with { FeedbackCount = 4, FeedbackPositive = g % 5 == 0 ? 3 : 4 };
        }

        var (canary, stable) = (Total(canaryGroups), Total(stableGroups));
        var spread = (ArmSample[])canaryGroups.Clone();
        spread[39] = spread[39] with { FeedbackCount = 0, FeedbackPositive = 0 };
        for (var g = 0; g < 25; g++)
        {
            spread[g] = spread[g] with { FeedbackCount = 1, FeedbackPositive = 0 };
        }

        Assert.True(canary.EffectiveSubjects >= 20, "the arm's requests come from enough subjects");
        Assert.Equal(MetricVerdict.NotEnoughData, judge.Assess(feedback, canary.CapSubjects(), stable.CapSubjects()).Verdict);
        var decision = judge.Decide(canary, stable, TimeSpan.FromMinutes(5));
        Assert.NotEqual(JudgeOutcome.RollBack, decision.Outcome);
        Assert.Contains("feedback (25/240) from fewer than min_subjects 20 effective subjects on an arm", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(0.05, decision.Evidence.Single().Alpha); // 1 − 0.95 is 0.050000000000000044 in binary: shown rounded

        // The same 25 thumbs-down from 25 subjects is evidence, and rolls back.
        Assert.Equal(MetricVerdict.Harm, judge.Assess(feedback, Total(spread).CapSubjects(), stable.CapSubjects()).Verdict);
    }

    [Fact]
    public void CapSubjects_MoreVotesThanRequests_KeepsTheGroupsPositiveShare()
    {
        var sample = Voted(Honest(requestsPerGroup: 10, errorEvery: 1000), votesPerGroup: 1, positiveEvery: 1);
        var groups = (ArmSample[])sample.Groups!.Clone();
        groups[0] = groups[0] with { FeedbackCount = 40, FeedbackPositive = 30 };

        var capped = Total(groups).CapSubjects().Groups![0];

        Assert.Equal(10, capped.FeedbackCount);
        Assert.Equal(8, capped.FeedbackPositive); // 30 of 40, scaled to 10 votes: 7.5, rounded away from zero
    }

    [Fact]
    public void CapSubjects_NoGroupOverTheCap_ReturnsTheSameSample()
    {
        var sample = Honest(requestsPerGroup: 10, errorEvery: 50);

        var capped = sample.CapSubjects();

        Assert.Same(sample.Groups, capped.Groups);
        Assert.Equal(sample.Requests, capped.Requests);
    }

    [Fact]
    public void CapSubjects_OneHeavyGroup_ScaledToThreeMediansKeepingItsRates()
    {
        var sample = Flood(Honest(requestsPerGroup: 10, errorEvery: 1000), group: 0, requests: 990, errors: 500);

        var capped = sample.CapSubjects();
        var heavy = capped.Groups![0];

        Assert.Equal(30, heavy.Requests);
        Assert.Equal(15, heavy.Errors);
        Assert.Equal(heavy.LatencyCount, heavy.LatencyHistogram!.Sum());
        Assert.Equal(sample.Requests - 1000 + 30, capped.Requests);
        Assert.Equal(capped.Groups.Sum(g => g.Errors), capped.Errors);
    }

    // An independent review's case: a median of 10.5 requests makes the cap 31.5, each heavy group's count rounds to
    // 32, and sums scaled by 0.315 instead of 32/100 moved the mean log latency of a constant 800 ms (×0.958) and
    // made a variance of zero about 0.29. Each sum is scaled by its own count's factor.
    [Fact]
    public void CapSubjects_HalfRequestCap_KeepsEveryGroupsMeans()
    {
        var groups = new ArmSample[SubjectGroups.Count];
        for (var g = 0; g < groups.Length; g++)
        {
            var requests = g < 32 ? 10 : g < 52 ? 11 : 100;
            for (var i = 0; i < requests; i++)
            {
                groups[g] = ArmSample.Add(groups[g], new ArmSample
                {
                    Requests = 1,
                    LatencyCount = 1,
                    LogLatencySum = Math.Log(800),
                    LogLatencySquares = Math.Log(800) * Math.Log(800),
                    CostSum = 0.004,
                    CostSquares = 0.004 * 0.004,
                    OnlineScored = 1,
                    OnlineScoreSum = 0.75,
                    OnlineScoreSquares = 0.75 * 0.75,
                });
            }
        }

        var capped = Total(groups).CapSubjects();
        var mean = capped.LogLatencySum / capped.LatencyCount;

        Assert.Equal(32, capped.Groups![60].Requests);
        Assert.Equal(Math.Log(800), mean, 12);
        Assert.Equal(0, (capped.LogLatencySquares / capped.LatencyCount) - (mean * mean), 9);
        Assert.Equal(0.004, capped.CostSum / capped.Requests, 12);
        Assert.Equal(0.75, capped.OnlineScoreSum / capped.OnlineScored, 12);
    }

    [Fact]
    public void CapSubjects_SparseGroups_NeverScalesBelowTheFloor()
    {
        var sample = Flood(Honest(requestsPerGroup: 1, errorEvery: 1000), group: 0, requests: 3, errors: 0);

        Assert.Equal(4, sample.CapSubjects().Groups![0].Requests);
    }

    /// <summary>64 groups of equal traffic; every <paramref name="errorEvery"/>-th request of the arm fails.</summary>
    internal static ArmSample Honest(int requestsPerGroup, double errorEvery)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        var n = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            for (var i = 0; i < requestsPerGroup; i++)
            {
                n++;
                var fails = Math.Floor(n / errorEvery) > Math.Floor((n - 1) / errorEvery);
                groups[g] = Add(groups[g], fails, latencyMs: 400 + (37 * ((n * 7) % 11)));
            }
        }

        return Total(groups);
    }

    /// <summary>The same sample with <paramref name="votesPerGroup"/> votes in every group, every <paramref name="positiveEvery"/>-th positive.</summary>
    private static ArmSample Voted(ArmSample sample, int votesPerGroup, int positiveEvery)
    {
        var groups = (ArmSample[])sample.Groups!.Clone();
        for (var g = 0; g < groups.Length; g++)
        {
            groups[g] = groups[g] with { FeedbackCount = votesPerGroup, FeedbackPositive = Enumerable.Range(1, votesPerGroup).Count(i => i % positiveEvery == 0) };
        }

        return Total(groups);
    }

    /// <summary>The same sample with one subject's extra requests in <paramref name="group"/>.</summary>
    internal static ArmSample Flood(ArmSample sample, int group, int requests, int errors)
    {
        var groups = (ArmSample[])sample.Groups!.Clone();
        for (var i = 0; i < requests; i++)
        {
            groups[group] = Add(groups[group], i < errors, latencyMs: 350);
        }

        return Total(groups);
    }

    private static ArmSample Add(ArmSample g, bool fails, double latencyMs)
    {
        var one = fails
            ? new ArmSample { Requests = 1, Errors = 1 }
            : new ArmSample
            {
                Requests = 1,
                LatencyCount = 1,
                LogLatencySum = Math.Log(latencyMs),
                LogLatencySquares = Math.Log(latencyMs) * Math.Log(latencyMs),
                LatencyHistogram = Bucket(latencyMs),
            };
        return ArmSample.Add(g, one);
    }

    private static long[] Bucket(double latencyMs)
    {
        var h = new long[LatencyBuckets.UpperBoundsMs.Count];
        h[LatencyBuckets.IndexOf(latencyMs)] = 1;
        return h;
    }

    internal static ArmSample Total(ArmSample[] groups)
    {
        var total = default(ArmSample);
        foreach (var g in groups)
        {
            total = ArmSample.Add(total, g);
        }

        return total with { Groups = groups };
    }
}
